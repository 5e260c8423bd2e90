// The oldest Linux kernel alembic-lsp runs on: the floor of the C library it links (glibc
// 2.36: Linux 3.2 on x86_64, 3.7 on aarch64). glibc 2.36 no longer checks this at start-up,
// so a static binary on an older kernel would fail later on some system call; main() checks
// first and says so in one line.
#pragma once

#include <string>
#include <string_view>

namespace alembic {

struct KernelVersion {
  int major = 0;
  int minor = 0;
};

/// This build's floor (by target architecture).
KernelVersion kernel_floor();

/// The one-line message for a kernel whose uname release ("6.1.0-18-amd64") is older than
/// `floor`; empty when it is new enough or its release does not start with "MAJOR.MINOR"
/// (unknown is not refused).
std::string kernel_too_old_message(std::string_view release, KernelVersion floor);

/// This machine's kernel (uname) against kernel_floor(): the message, or empty.
std::string running_kernel_too_old();

}  // namespace alembic
