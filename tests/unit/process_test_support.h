// Running a program from a unit test (the parity checks against real Alembic and Mako in
// analysis_merge_test.cpp and analysis_mako_test.cpp): posix_spawn with stdout and stderr
// in files, and the hex encoding the tests use to pass any text through argv and lines.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace process_test {

namespace fs = std::filesystem;

/// Runs `argv` (argv[0] looked up in PATH) with stdout in `out_file` and stderr in
/// `out_file` + ".err"; its exit status, or -1 when it could not run or did not exit.
inline int run(const std::vector<std::string>& argv, const fs::path& out_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, (out_file.string() + ".err").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  if (rc != 0 || waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string hex(std::string_view s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) (out += kDigits[c >> 4]) += kDigits[c & 15];
  return out;
}

inline std::string unhex(std::string_view s) {
  std::string out;
  for (size_t i = 0; i + 1 < s.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(s.substr(i, 2)), nullptr, 16));
  return out;
}

/// The Pythons to try, in order: $ALEMBIC_LSP_PYTHON, /usr/bin/python3, python3.
inline std::vector<std::string> python_candidates() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("ALEMBIC_LSP_PYTHON")) candidates.emplace_back(env);
  candidates.insert(candidates.end(), {"/usr/bin/python3", "python3"});
  return candidates;
}

}  // namespace process_test
