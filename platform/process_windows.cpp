// run_process on Windows: CreateProcessW with three anonymous pipes, a thread per
// pipe to drain it, and TerminateProcess on timeout or cancel.
#include <windows.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "platform/process.h"
#include "platform/windows_text.h"

namespace alembic::platform {

namespace {

struct Handle {
  HANDLE h = nullptr;
  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  void reset() {
    if (h && h != INVALID_HANDLE_VALUE) CloseHandle(h);
    h = nullptr;
  }
};

// A pipe whose `child_end` is inheritable and whose other end is not.
bool make_pipe(Handle& read, Handle& write, bool child_reads) {
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  if (!CreatePipe(&read.h, &write.h, &sa, 0)) return false;
  return SetHandleInformation(child_reads ? write.h : read.h, HANDLE_FLAG_INHERIT, 0) != 0;
}

// Quotes one argument as CommandLineToArgvW and the C runtime read it back.
void append_quoted(std::wstring& line, const std::wstring& arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
    line += arg;
    return;
  }
  line += L'"';
  for (size_t i = 0;; ++i) {
    size_t backslashes = 0;
    while (i < arg.size() && arg[i] == L'\\') ++i, ++backslashes;
    if (i == arg.size()) {
      line.append(backslashes * 2, L'\\');
      break;
    }
    if (arg[i] == L'"') {
      line.append(backslashes * 2 + 1, L'\\');
    } else {
      line.append(backslashes, L'\\');
    }
    line += arg[i];
  }
  line += L'"';
}

// The program's full path: `program`.exe (or .cmd never: no shell) on PATH, as
// CreateProcessW does not search PATH for a name given as lpApplicationName.
std::wstring find_on_path(const std::string& program) {
  std::wstring name = detail::widen(program);
  wchar_t found[MAX_PATH * 4];
  const DWORD n = SearchPathW(nullptr, name.c_str(), L".exe", MAX_PATH * 4, found, nullptr);
  if (n == 0 || n >= MAX_PATH * 4) return {};
  return std::wstring(found, n);
}

}  // namespace

std::vector<std::string> environment() {
  std::vector<std::string> env;
  wchar_t* block = GetEnvironmentStringsW();
  if (!block) return env;
  for (const wchar_t* p = block; *p; p += wcslen(p) + 1) {
    if (*p == L'=') continue;  // "=C:=C:\dir": the per-drive current directories
    env.push_back(detail::narrow(p));
  }
  FreeEnvironmentStringsW(block);
  return env;
}

bool process_alive(int pid) {
  HANDLE h = OpenProcess(SYNCHRONIZE, FALSE, static_cast<DWORD>(pid));
  if (!h) return GetLastError() != ERROR_INVALID_PARAMETER;  // no such process
  const bool alive = WaitForSingleObject(h, 0) == WAIT_TIMEOUT;
  CloseHandle(h);
  return alive;
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env, std::string_view input,
                          std::chrono::milliseconds timeout, const std::atomic<bool>* cancel) {
  ProcessResult result;
  const std::wstring exe = find_on_path(program);
  if (exe.empty()) {
    result.error = program + " is not installed (no `" + program + "` on PATH)";
    return result;
  }
  Handle in_read, in_write, out_read, out_write, err_read, err_write;
  // The child's ends of the pipes are inheritable, and CreateProcessW(bInheritHandles)
  // gives a child every inheritable handle of the process: a git started on another thread
  // meanwhile would hold this child's ends too, and this child's output would not end until
  // that git did. One spawn at a time, from creating the pipes to closing the child's ends.
  static std::mutex spawning;
  std::unique_lock<std::mutex> spawn_lock(spawning);
  if (!make_pipe(in_read, in_write, true) || !make_pipe(out_read, out_write, false) ||
      !make_pipe(err_read, err_write, false)) {
    result.error = "cannot create pipes: " + detail::error_text(GetLastError());
    return result;
  }
  std::wstring line;
  append_quoted(line, exe);
  for (const std::string& a : args) {
    line += L' ';
    append_quoted(line, detail::widen(a));
  }
  // The environment block: sorted "NAME=value\0" entries, ended by an empty one.
  std::vector<std::wstring> entries;
  for (const std::string& e : env) entries.push_back(detail::widen(e));
  std::sort(entries.begin(), entries.end(), [](const std::wstring& a, const std::wstring& b) {
    return _wcsicmp(a.c_str(), b.c_str()) < 0;
  });
  std::wstring block;
  for (const std::wstring& e : entries) block += e + L'\0';
  block += L'\0';

  STARTUPINFOW si{};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = in_read.h;
  si.hStdOutput = out_write.h;
  si.hStdError = err_write.h;
  PROCESS_INFORMATION pi{};
  const BOOL created = CreateProcessW(exe.c_str(), line.data(), nullptr, nullptr, TRUE,
                                      CREATE_UNICODE_ENVIRONMENT | CREATE_NO_WINDOW, block.data(),
                                      nullptr, &si, &pi);
  if (!created) {
    result.error = "cannot run " + program + ": " + detail::error_text(GetLastError());
    return result;
  }
  Handle process, thread;
  process.h = pi.hProcess;
  thread.h = pi.hThread;
  in_read.reset();
  out_write.reset();
  err_write.reset();
  spawn_lock.unlock();
  if (!process.h) {
    // Wine starts a Unix program named git.exe so: no process to wait for.
    result.error = "cannot wait for " + program + ": no process handle";
    return result;
  }
  result.started = true;

  // Blocking pipes, one thread each: the input writer and the two readers.
  auto drain = [](HANDLE h, std::string* sink) {
    char buffer[65536];
    DWORD got = 0;
    while (ReadFile(h, buffer, sizeof buffer, &got, nullptr) && got > 0) sink->append(buffer, got);
  };
  std::thread out_thread(drain, out_read.h, &result.out);
  std::thread err_thread(drain, err_read.h, &result.err);
  std::thread in_thread([&in_write, input] {
    size_t written = 0;
    while (written < input.size()) {
      DWORD put = 0;
      const DWORD chunk = static_cast<DWORD>(std::min<size_t>(input.size() - written, 1 << 20));
      if (!WriteFile(in_write.h, input.data() + written, chunk, &put, nullptr)) break;
      written += put;
    }
    in_write.reset();
  });

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool finished = false;
  for (;;) {
    if (cancel && cancel->load()) {
      result.cancelled = true;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const DWORD wait =
        static_cast<DWORD>(cancel ? std::min<long long>(left.count(), 50) : left.count());
    const DWORD waited = WaitForSingleObject(process.h, wait);
    if (waited == WAIT_OBJECT_0) {
      finished = true;
      break;
    }
    if (waited == WAIT_FAILED) {
      result.error = "cannot wait for " + program + ": " + detail::error_text(GetLastError());
      break;
    }
  }
  if (!finished) {
    if (result.error.empty()) result.timed_out = true;
    TerminateProcess(process.h, 1);
    WaitForSingleObject(process.h, INFINITE);
  }
  in_thread.join();
  out_thread.join();
  err_thread.join();
  DWORD code = 0;
  if (finished && GetExitCodeProcess(process.h, &code)) result.exit_code = static_cast<int>(code);
  return result;
}

}  // namespace alembic::platform
