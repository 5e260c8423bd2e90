// Running a program (git) with captured output, a timeout and a cancel flag.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace alembic::platform {

/// What one run of a program gave back.
struct ProcessResult {
  bool started = false;    ///< false: the program could not be started (not on PATH, ...)
  bool timed_out = false;  ///< killed after the timeout (or the cancel flag)
  bool cancelled = false;  ///< killed because the caller's cancel flag was set
  int exit_code = -1;      ///< the process's exit status (-1 when it did not exit normally)
  std::string out;
  std::string err;
  std::string error;  ///< why it could not start, when !started

  bool ok() const { return started && !timed_out && exit_code == 0; }
};

/// Runs `program`, found on PATH and never through a shell, with `args` (argv[1...]), the
/// environment `env` ("NAME=value" entries, the whole environment), and `input` on its
/// stdin. Output is captured; the child is killed when `timeout` passes or soon after
/// `*cancel` becomes true. Never throws for process failures: they are in the result.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env, std::string_view input,
                          std::chrono::milliseconds timeout, const std::atomic<bool>* cancel);

/// This process's environment as "NAME=value" entries.
std::vector<std::string> environment();

/// False once the process `pid` no longer exists (true when that cannot be told).
bool process_alive(int pid);

}  // namespace alembic::platform
