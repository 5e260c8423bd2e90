#include "analysis/git.h"

#include <algorithm>
#include <cstring>

#include "platform/path_text.h"
#include "platform/process.h"

namespace alembic::git {

namespace fs = std::filesystem;

namespace {

// The environment for git: the caller's, with prompts off, English messages, and a
// relative GIT_DIR / GIT_WORK_TREE (set by git hooks) made absolute, since `-C` would
// otherwise resolve them against another directory.
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  for (std::string entry : platform::environment()) {
    if (entry.rfind("GIT_TERMINAL_PROMPT=", 0) == 0 || entry.rfind("LC_ALL=", 0) == 0 ||
        entry.rfind("LANGUAGE=", 0) == 0)
      continue;
    for (const char* name : {"GIT_DIR=", "GIT_WORK_TREE=", "GIT_INDEX_FILE="}) {
      const size_t n = std::strlen(name);
      if (entry.rfind(name, 0) == 0 && entry.size() > n &&
          !platform::utf8_path(entry.substr(n)).is_absolute()) {
        std::error_code ec;
        fs::path absolute = fs::absolute(platform::utf8_path(entry.substr(n)), ec);
        if (!ec) entry = name + absolute.string();
      }
    }
    env.push_back(std::move(entry));
  }
  env.push_back("GIT_TERMINAL_PROMPT=0");
  env.push_back("LC_ALL=C");
  return env;
}

}  // namespace

RunResult run(const fs::path& dir, const std::vector<std::string>& args, std::string_view input,
              std::chrono::milliseconds timeout, const std::atomic<bool>* cancel) {
  std::vector<std::string> argv = {"-C", dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return platform::run_process("git", argv, child_environment(), input, timeout, cancel);
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
    if (!path.empty()) return platform::utf8_path(path);
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
