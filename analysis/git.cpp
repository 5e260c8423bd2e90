#include "analysis/git.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

extern char** environ;

namespace alembic::git {

namespace fs = std::filesystem;

namespace {

// The environment for git: the caller's, with prompts off, English messages, and a
// relative GIT_DIR / GIT_WORK_TREE (set by git hooks) made absolute, since `-C` would
// otherwise resolve them against another directory.
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry = *e;
    if (entry.rfind("GIT_TERMINAL_PROMPT=", 0) == 0 || entry.rfind("LC_ALL=", 0) == 0 ||
        entry.rfind("LANGUAGE=", 0) == 0)
      continue;
    for (const char* name : {"GIT_DIR=", "GIT_WORK_TREE=", "GIT_INDEX_FILE="}) {
      const size_t n = std::strlen(name);
      if (entry.rfind(name, 0) == 0 && entry.size() > n && entry[n] != '/') {
        std::error_code ec;
        fs::path absolute = fs::absolute(entry.substr(n), ec);
        if (!ec) entry = name + absolute.string();
      }
    }
    env.push_back(std::move(entry));
  }
  env.push_back("GIT_TERMINAL_PROMPT=0");
  env.push_back("LC_ALL=C");
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

struct Pipe {
  int read = -1;
  int write = -1;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  ~Pipe() {
    close_fd(read);
    close_fd(write);
  }
};

long long now_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// Writing to a pipe whose reader exited raises SIGPIPE, which would end this process:
// it is blocked while git runs and a pending one is consumed afterwards.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) && !sigismember(&old_, SIGPIPE)) {
      timespec zero{};
      sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_{};
  sigset_t old_{};
};

constexpr long long kCancelPollMs = 50;  // how often a cancel flag is looked at

// Moves data between the child's pipes until both outputs close, time runs out or the
// caller cancels.
bool pump(Pipe& in, Pipe& out, Pipe& err, std::string_view input, RunResult& result,
          long long deadline, const std::atomic<bool>* cancel) {
  size_t written = 0;
  if (input.empty()) Pipe::close_fd(in.write);
  if (in.write >= 0) ::fcntl(in.write, F_SETFL, O_NONBLOCK);
  char buffer[65536];
  while (out.read >= 0 || err.read >= 0) {
    pollfd fds[3];
    int n = 0;
    int out_i = -1, err_i = -1, in_i = -1;
    if (out.read >= 0) fds[out_i = n++] = {out.read, POLLIN, 0};
    if (err.read >= 0) fds[err_i = n++] = {err.read, POLLIN, 0};
    if (in.write >= 0) fds[in_i = n++] = {in.write, POLLOUT, 0};
    if (cancel && cancel->load()) {
      result.cancelled = true;
      return false;
    }
    long long left = deadline - now_ms();
    if (left <= 0) return false;
    if (cancel) left = std::min(left, kCancelPollMs);
    const int ready = ::poll(fds, static_cast<nfds_t>(n), static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return false;
    auto drain = [&](int index, Pipe& pipe, std::string& sink) {
      if (index < 0 || fds[index].revents == 0) return;
      const ssize_t got = ::read(pipe.read, buffer, sizeof buffer);
      if (got > 0) {
        sink.append(buffer, static_cast<size_t>(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        Pipe::close_fd(pipe.read);
      }
    };
    drain(out_i, out, result.out);
    drain(err_i, err, result.err);
    if (in_i >= 0 && fds[in_i].revents != 0) {
      const ssize_t put = ::write(in.write, input.data() + written, input.size() - written);
      if (put > 0) written += static_cast<size_t>(put);
      if ((put < 0 && errno != EINTR && errno != EAGAIN) || written == input.size())
        Pipe::close_fd(in.write);
    }
  }
  return true;
}

}  // namespace

RunResult run(const fs::path& dir, const std::vector<std::string>& args, std::string_view input,
              std::chrono::milliseconds timeout, const std::atomic<bool>* cancel) {
  RunResult result;
  SigpipeGuard guard;
  Pipe in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    result.error = std::string("cannot create pipes: ") + std::strerror(errno);
    return result;
  }
  std::vector<std::string> argv_strings = {"git", "-C", dir.string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = child_environment();
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // The child must not inherit a blocked SIGPIPE.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, "git", &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    result.error = spawned == ENOENT ? std::string("git is not installed (no `git` on PATH)")
                                     : std::string("cannot run git: ") + std::strerror(spawned);
    return result;
  }
  result.started = true;
  Pipe::close_fd(in.read);
  Pipe::close_fd(out.write);
  Pipe::close_fd(err.write);

  const bool finished = pump(in, out, err, input, result, now_ms() + timeout.count(), cancel);
  if (!finished) {
    result.timed_out = true;
    ::kill(pid, SIGKILL);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

namespace {

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.rfind("fatal: ", 0) == 0) line = line.substr(7);
  return line;
}

std::string failure(const RunResult& r) {
  if (!r.started) return r.error;
  if (r.cancelled) return "cancelled";
  if (r.timed_out) return "git did not answer in time";
  return "git failed: " + first_line(r.err);
}

}  // namespace

std::optional<fs::path> toplevel(const fs::path& dir, std::string* why) {
  RunResult r = run(dir, {"rev-parse", "--show-toplevel"});
  if (r.ok()) {
    std::string path = r.out.substr(0, r.out.find('\n'));
    if (!path.empty()) return fs::path(path);
  }
  if (why) {
    if (r.started && !r.timed_out && r.err.find("not a git repository") != std::string::npos)
      *why = dir.string() + " is not inside a git repository";
    else
      *why = failure(r);
  }
  return std::nullopt;
}

std::optional<std::string> resolve_commit(const fs::path& dir, std::string_view ref) {
  // `--end-of-options` keeps a ref starting with '-' from being read as an option.
  RunResult r = run(dir, {"rev-parse", "--verify", "--quiet", "--end-of-options",
                          std::string(ref) + "^{commit}"});
  if (!r.ok()) return std::nullopt;
  std::string id = r.out.substr(0, r.out.find('\n'));
  if (id.empty()) return std::nullopt;
  return id;
}

std::optional<std::vector<TreeEntry>> list_tree(const fs::path& repo_dir, std::string_view commit,
                                                std::string_view subdir, bool recursive,
                                                std::string* why) {
  std::string tree = std::string(commit) + ":" + std::string(subdir);
  // Does the directory exist at that commit? (a missing version location is no error)
  RunResult type = run(repo_dir, {"cat-file", "-t", tree});
  if (!type.ok()) {
    if (type.started && !type.timed_out) return std::vector<TreeEntry>{};
    if (why) *why = failure(type);
    return std::nullopt;
  }
  if (type.out.rfind("tree", 0) != 0) return std::vector<TreeEntry>{};
  std::vector<std::string> args = {"ls-tree", "-z"};
  if (recursive) args.push_back("-r");
  args.push_back(tree);
  RunResult r = run(repo_dir, args);
  if (!r.ok()) {
    if (why) *why = failure(r);
    return std::nullopt;
  }
  std::vector<TreeEntry> entries;
  size_t start = 0;
  while (start < r.out.size()) {
    size_t end = r.out.find('\0', start);
    if (end == std::string::npos) end = r.out.size();
    const std::string record = r.out.substr(start, end - start);
    start = end + 1;
    // "<mode> SP <type> SP <object> TAB <path>"
    const size_t tab = record.find('\t');
    const size_t s1 = record.find(' ');
    const size_t s2 = s1 == std::string::npos ? s1 : record.find(' ', s1 + 1);
    if (tab == std::string::npos || s2 == std::string::npos || s2 > tab) continue;
    entries.push_back({record.substr(0, s1), record.substr(s1 + 1, s2 - s1 - 1),
                       record.substr(s2 + 1, tab - s2 - 1), record.substr(tab + 1)});
  }
  return entries;
}

std::optional<std::vector<std::string>> read_blobs(const fs::path& repo_dir,
                                                   const std::vector<std::string>& objects,
                                                   std::string* why) {
  std::vector<std::string> contents;
  if (objects.empty()) return contents;
  std::string input;
  for (const std::string& o : objects) input += o + "\n";
  RunResult r = run(repo_dir, {"cat-file", "--batch"}, input);
  if (!r.ok()) {
    if (why) *why = failure(r);
    return std::nullopt;
  }
  // Each answer: "<object> <type> <size>\n<contents>\n", or "<object> missing\n".
  size_t at = 0;
  for (const std::string& object : objects) {
    const size_t eol = r.out.find('\n', at);
    if (eol == std::string::npos) break;
    const std::string header = r.out.substr(at, eol - at);
    const size_t last_space = header.rfind(' ');
    if (header.ends_with(" missing") || last_space == std::string::npos) {
      if (why) *why = "object " + object + " is missing from the repository";
      return std::nullopt;
    }
    size_t size = 0;
    try {
      size = std::stoul(header.substr(last_space + 1));
    } catch (const std::exception&) {
      break;
    }
    if (eol + 1 + size > r.out.size()) break;
    contents.push_back(r.out.substr(eol + 1, size));
    at = eol + 1 + size + 1;
  }
  if (contents.size() != objects.size()) {
    if (why) *why = "unexpected answer from git cat-file --batch";
    return std::nullopt;
  }
  return contents;
}

}  // namespace alembic::git
