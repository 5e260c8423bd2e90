// Internal to the POSIX implementations: a pipe whose ends are close-on-exec (and
// optionally non-blocking). pipe2 on Linux; pipe + fcntl where pipe2 is missing (macOS).
#pragma once

#include <fcntl.h>
#include <unistd.h>

namespace alembic::platform::detail {

inline bool open_pipe(int fds[2], bool nonblocking) {
#if defined(ALEMBIC_PLATFORM_PIPE2)
  return ::pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0)) == 0;
#else
  if (::pipe(fds) != 0) return false;
  for (int i = 0; i < 2; ++i) {
    const bool ok = ::fcntl(fds[i], F_SETFD, FD_CLOEXEC) == 0 &&
                    (!nonblocking || ::fcntl(fds[i], F_SETFL, O_NONBLOCK) == 0);
    if (!ok) {
      ::close(fds[0]);
      ::close(fds[1]);
      return false;
    }
  }
  return true;
#endif
}

}  // namespace alembic::platform::detail
