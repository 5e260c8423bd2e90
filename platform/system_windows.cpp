#include <fcntl.h>
#include <io.h>
#include <windows.h>

#include <cstdio>

#include "platform/system.h"

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

}  // namespace alembic::platform
