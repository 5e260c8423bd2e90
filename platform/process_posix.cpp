#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "platform/posix_pipe.h"
#include "platform/process.h"

extern char** environ;

namespace alembic::platform {

namespace {

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
    if (!detail::open_pipe(fds, false)) return false;
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
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

#if defined(ALEMBIC_PLATFORM_PIPE2)
// Writing to a pipe whose reader exited raises SIGPIPE, which would end this process:
// it is blocked while the child runs and a pending one is consumed afterwards.
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
#else
// Portable (no sigtimedwait on macOS): SIGPIPE is ignored process-wide, so a write to a
// child that exited fails with EPIPE; the child gets the default disposition back.
class SigpipeGuard {
 public:
  SigpipeGuard() { ::signal(SIGPIPE, SIG_IGN); }
};
#endif

constexpr long long kCancelPollMs = 50;  // how often a cancel flag is looked at

// Moves data between the child's pipes until both outputs close, time runs out or the
// caller cancels.
bool pump(Pipe& in, Pipe& out, Pipe& err, std::string_view input, ProcessResult& result,
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

std::vector<std::string> environment() {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
  return env;
}

bool process_alive(int pid) {
  // kill(pid, 0) probes existence without sending anything.
  return !(::kill(pid, 0) != 0 && errno == ESRCH);
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env, std::string_view input,
                          std::chrono::milliseconds timeout, const std::atomic<bool>* cancel) {
  ProcessResult result;
  SigpipeGuard guard;
  Pipe in, out, err;
  if (!in.open() || !out.open() || !err.open()) {
    result.error = std::string("cannot create pipes: ") + std::strerror(errno);
    return result;
  }
  std::vector<std::string> argv_strings = {program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = env;
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<char*> envp = pointers(env_strings);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // The child must not inherit a blocked or ignored SIGPIPE.
  sigset_t none, pipe_only;
  sigemptyset(&none);
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &pipe_only);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int spawned =
      ::posix_spawnp(&pid, program.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    result.error = spawned == ENOENT ? program + " is not installed (no `" + program + "` on PATH)"
                                     : "cannot run " + program + ": " + std::strerror(spawned);
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

}  // namespace alembic::platform
