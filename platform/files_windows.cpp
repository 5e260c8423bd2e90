// Files on Windows: CreateFileW with CREATE_NEW for files that must not exist, and
// MoveFileExW without MOVEFILE_REPLACE_EXISTING to publish a finished file.
#include <windows.h>

#include <algorithm>
#include <stdexcept>

#include "platform/files.h"
#include "platform/files_common.h"
#include "platform/windows_text.h"

namespace alembic::platform {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, DWORD error) {
  throw std::runtime_error(what + " " + path.string() + ": " + detail::error_text(error));
}

struct File {
  HANDLE h = INVALID_HANDLE_VALUE;
  explicit File(HANDLE handle) : h(handle) {}
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File() { close(); }
  void close() {
    if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
    h = INVALID_HANDLE_VALUE;
  }
  bool ok() const { return h != INVALID_HANDLE_VALUE; }
};

HANDLE open_for_reading(const fs::path& path) {
  return CreateFileW(path.c_str(), GENERIC_READ,
                     FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                     FILE_ATTRIBUTE_NORMAL, nullptr);
}

bool is_regular(HANDLE h) {
  BY_HANDLE_FILE_INFORMATION info{};
  return GetFileType(h) == FILE_TYPE_DISK && GetFileInformationByHandle(h, &info) &&
         !(info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
}

HANDLE create_exclusive(const fs::path& path) {
  return CreateFileW(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL,
                     nullptr);
}

void write_all(HANDLE h, std::string_view content, const fs::path& path) {
  while (!content.empty()) {
    DWORD put = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<size_t>(content.size(), 1 << 30));
    if (!WriteFile(h, content.data(), chunk, &put, nullptr))
      fail("cannot write", path, GetLastError());
    content.remove_prefix(put);
  }
}

}  // namespace

std::optional<std::string> read_file_prefix(const fs::path& path, size_t limit) {
  File f(open_for_reading(path));
  if (!f.ok() || !is_regular(f.h)) return std::nullopt;
  std::string text(limit, '\0');
  DWORD got = 0;
  if (!ReadFile(f.h, text.data(), static_cast<DWORD>(limit), &got, nullptr)) got = 0;
  text.resize(got);
  return text;
}

std::optional<std::string> regular_file_problem(const fs::path& path) {
  File f(open_for_reading(path));
  if (!f.ok()) return "cannot read migration file: " + detail::error_text(GetLastError());
  if (!is_regular(f.h)) return std::string("not a regular file");
  return std::nullopt;
}

std::string read_regular_file(const fs::path& path) {
  File f(open_for_reading(path));
  if (!f.ok()) throw std::runtime_error(path.string() + ": " + detail::error_text(GetLastError()));
  if (!is_regular(f.h)) throw std::runtime_error(path.string() + ": not a regular file");
  LARGE_INTEGER size{};
  GetFileSizeEx(f.h, &size);
  std::string data(static_cast<size_t>(size.QuadPart > 0 ? size.QuadPart : 0) + 1, '\0');
  size_t used = 0;
  for (;;) {
    if (used == data.size()) data.resize(data.size() * 2);
    DWORD got = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<size_t>(data.size() - used, 1 << 30));
    if (!ReadFile(f.h, data.data() + used, chunk, &got, nullptr))
      throw std::runtime_error(path.string() + ": " + detail::error_text(GetLastError()));
    if (got == 0) break;
    used += got;
  }
  data.resize(used);
  return data;
}

void reserve_new_file(const fs::path& path) {
  detail::ensure_parent(path);
  File f(create_exclusive(path));
  if (!f.ok()) fail("cannot create", path, GetLastError());
}

void write_new_file(const fs::path& path, std::string_view content) {
  detail::ensure_parent(path);
  const fs::path temp = detail::temporary_name(path);
  {
    File f(create_exclusive(temp));
    if (!f.ok()) fail("cannot create", temp, GetLastError());
    try {
      write_all(f.h, content, temp);
      if (!FlushFileBuffers(f.h)) fail("cannot sync", temp, GetLastError());
    } catch (...) {
      f.close();
      DeleteFileW(temp.c_str());
      throw;
    }
  }
  // Without MOVEFILE_REPLACE_EXISTING a rename never replaces an existing name.
  if (MoveFileExW(temp.c_str(), path.c_str(), MOVEFILE_WRITE_THROUGH)) return;
  const DWORD error = GetLastError();
  DeleteFileW(temp.c_str());
  if (error == ERROR_ALREADY_EXISTS || error == ERROR_FILE_EXISTS)
    fail("refusing to overwrite", path, error);
  fail("cannot create", path, error);
}

std::optional<std::string> name_on_disk(const fs::path& path) {
  // FindFirstFileW reads '*' and '?' as wildcards; no file name holds them on Windows.
  const std::wstring wide = path.native();
  if (wide.find_first_of(L"*?") != std::wstring::npos) return std::nullopt;
  WIN32_FIND_DATAW found{};
  HANDLE h = FindFirstFileW(wide.c_str(), &found);
  if (h == INVALID_HANDLE_VALUE) return std::nullopt;
  FindClose(h);
  return detail::narrow(found.cFileName);
}

}  // namespace alembic::platform
