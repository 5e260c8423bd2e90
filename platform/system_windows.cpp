#include <fcntl.h>
#include <io.h>
#include <windows.h>
// After windows.h, which it needs.
#include <shellapi.h>

#include <cstdio>
#include <cstdlib>

#include "platform/system.h"
#include "platform/windows_text.h"

namespace alembic::platform {

std::filesystem::path executable_path() {
  std::wstring buffer(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    if (n == 0) return {};
    if (n < buffer.size()) return std::filesystem::path(buffer.substr(0, n));
    buffer.resize(buffer.size() * 2);
  }
}

bool local_time(std::time_t t, std::tm& out) {
  return localtime_s(&out, &t) == 0;
}

std::string linux_kernel_release() {
  return {};
}

std::size_t memory_held_bytes() {
  return 0;
}

void allocator_trim() {}

void allocator_configure_for_long_run() {}

void binary_stdio() {
  // LSP frames and the CLI's JSON/SARIF are bytes: no "\n" -> "\r\n" on the way out.
  _setmode(_fileno(stdin), _O_BINARY);
  _setmode(_fileno(stdout), _O_BINARY);
}

std::vector<std::string> arguments(int argc, char** argv) {
  int n = 0;
  wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &n);
  if (!wide) return std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc);
  std::vector<std::string> out;
  for (int i = 1; i < n; ++i) out.push_back(detail::narrow(wide[i]));
  LocalFree(wide);
  return out;
}

namespace {
UINT console_code_page = 0;
}

void utf8_console() {
  DWORD mode = 0;
  const HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  if (out == INVALID_HANDLE_VALUE || !GetConsoleMode(out, &mode)) return;  // not a console
  console_code_page = GetConsoleOutputCP();
  if (console_code_page == CP_UTF8 || !SetConsoleOutputCP(CP_UTF8)) return;
  std::atexit([] { SetConsoleOutputCP(console_code_page); });
}

}  // namespace alembic::platform
