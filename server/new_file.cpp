#include "server/new_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>

namespace alembic::server {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(error));
}

void write_all(int fd, std::string_view content, const fs::path& path) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write", path, errno);
    content.remove_prefix(static_cast<size_t>(n));
  }
}

// Opens a file that must not exist yet.
int create_exclusive(const fs::path& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string out;
  uint64_t bits = rng();
  for (int i = 0; i < 12; ++i, bits >>= 4) out += hex[bits & 15];
  return out;
}

void ensure_parent(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec)
    throw std::runtime_error("cannot create " + path.parent_path().string() + ": " + ec.message());
}

}  // namespace

void reserve_new_file(const fs::path& path) {
  ensure_parent(path);
  const int fd = create_exclusive(path);
  if (fd < 0) fail("cannot create", path, errno);
  ::close(fd);
}

void write_new_file(const fs::path& path, std::string_view content) {
  ensure_parent(path);
  // Not a migration name (no trailing .py), so neither Alembic nor a watcher loads it.
  const fs::path temp =
      path.parent_path() / ("." + path.filename().string() + "." + random_suffix() + ".tmp");
  const int fd = create_exclusive(temp);
  if (fd < 0) fail("cannot create", temp, errno);
  try {
    write_all(fd, content, temp);
    if (::fsync(fd) != 0) fail("cannot sync", temp, errno);
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  // link() never replaces an existing name (unlike rename), and publishes the whole file.
  if (::link(temp.c_str(), path.c_str()) == 0) {
    ::unlink(temp.c_str());
    return;
  }
  const int error = errno;
  ::unlink(temp.c_str());
  if (error == EEXIST) fail("refusing to overwrite", path, error);
  if (error != EPERM && error != ENOTSUP && error != EMLINK) fail("cannot create", path, error);
  // A file system without hard links: an exclusive create of the name itself.
  const int direct = create_exclusive(path);
  if (direct < 0) fail("cannot create", path, errno);
  try {
    write_all(direct, content, path);
  } catch (...) {
    ::close(direct);
    ::unlink(path.c_str());
    throw;
  }
  ::close(direct);
}

}  // namespace alembic::server
