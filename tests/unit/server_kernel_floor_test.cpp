// The kernel floor check main() runs before anything else (server/kernel_floor.h). The real
// binary under an old kernel is checked by tests/portable/bare_roots.sh (qemu's -r).
#include <gtest/gtest.h>

#include "server/kernel_floor.h"

using namespace alembic;

TEST(KernelFloor, RefusesOlderKernelsInOneLine) {
  std::string message = kernel_too_old_message("3.1.10-generic", {3, 2});
  EXPECT_NE(message.find("this Linux kernel is 3.1.10-generic"), std::string::npos) << message;
  EXPECT_NE(message.find("needs Linux 3.2 or newer"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_FALSE(kernel_too_old_message("2.6.32-754.el6.x86_64", {3, 2}).empty());
  EXPECT_FALSE(kernel_too_old_message("3.6.0", {3, 7}).empty());
}

TEST(KernelFloor, AcceptsTheFloorAndNewer) {
  EXPECT_EQ(kernel_too_old_message("3.2.0", {3, 2}), "");
  EXPECT_EQ(kernel_too_old_message("3.10.0-1160.el7.x86_64", {3, 2}), "");
  EXPECT_EQ(kernel_too_old_message("6.1.0-18-amd64", {3, 7}), "");
  EXPECT_EQ(kernel_too_old_message("4.0", {3, 7}), "");
}

TEST(KernelFloor, DoesNotRefuseWhatItCannotRead) {
  EXPECT_EQ(kernel_too_old_message("", {3, 2}), "");
  EXPECT_EQ(kernel_too_old_message("unknown", {3, 2}), "");
  EXPECT_EQ(kernel_too_old_message("3", {3, 2}), "");
}

TEST(KernelFloor, ThisMachineRunsTheTests) {
  EXPECT_EQ(running_kernel_too_old(), "");
#if defined(__aarch64__)
  EXPECT_EQ(kernel_floor().minor, 7);
#else
  EXPECT_EQ(kernel_floor().minor, 2);
#endif
}
