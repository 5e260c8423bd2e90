#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "platform/files.h"
#include "platform/files_common.h"

namespace alembic::platform {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(error));
}

// O_NONBLOCK: opening a FIFO named like a migration must not wait for a writer.
int open_for_reading(const fs::path& path) {
  return ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
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

}  // namespace

std::optional<std::string> read_file_prefix(const fs::path& path, size_t limit) {
  std::string text(limit, '\0');
  int fd = open_for_reading(path);
  if (fd < 0) return std::nullopt;
  ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return text;
}

std::optional<std::string> regular_file_problem(const fs::path& path) {
  int fd = open_for_reading(path);
  if (fd < 0) return std::string("cannot read migration file: ") + std::strerror(errno);
  struct stat st {};
  bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  ::close(fd);
  if (!regular) return std::string("not a regular file");
  return std::nullopt;
}

std::string read_regular_file(const fs::path& path) {
  int fd = open_for_reading(path);
  if (fd < 0) throw std::runtime_error(path.string() + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw std::runtime_error(path.string() + ": not a regular file");
  }
  // Read straight into the string, sized by fstat; a file that grows meanwhile is read
  // to its end all the same.
  std::string data;
  size_t used = 0;
  data.resize(static_cast<size_t>(st.st_size > 0 ? st.st_size : 0) + 1);
  for (;;) {
    if (used == data.size()) data.resize(data.size() * 2);
    ssize_t n = ::read(fd, data.data() + used, data.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw std::runtime_error(path.string() + ": " + std::strerror(err));
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  data.resize(used);
  ::close(fd);
  return data;
}

void reserve_new_file(const fs::path& path) {
  detail::ensure_parent(path);
  const int fd = create_exclusive(path);
  if (fd < 0) fail("cannot create", path, errno);
  ::close(fd);
}

void write_new_file(const fs::path& path, std::string_view content) {
  detail::ensure_parent(path);
  const fs::path temp = detail::temporary_name(path);
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

std::optional<std::string> name_on_disk(const fs::path& path) {
  // POSIX file names compare with case: an existing entry is spelled as given.
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return std::nullopt;
  return path.filename().string();
}

}  // namespace alembic::platform
