#include <cstdio>
#include <string>

#include "platform/system.h"
#include "server/cli/cli.h"
#include "server/kernel_floor.h"

int main(int argc, char** argv) {
  if (std::string refused = alembic::running_kernel_too_old(); !refused.empty()) {
    std::fprintf(stderr, "%s\n", refused.c_str());
    return 2;
  }
  alembic::platform::binary_stdio();
  alembic::platform::utf8_console();
  return alembic::cli::run(alembic::platform::arguments(argc, argv));
}
