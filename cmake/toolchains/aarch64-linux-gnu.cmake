# Cross-compiling for linux-aarch64 with Debian's cross toolchain (g++-aarch64-linux-gnu).
# Header-only dependencies (nlohmann-json, asio, spdlog, fmt, toml++, tree-sitter's api.h)
# are architecture-independent and come from the build machine's /usr/include; the one
# compiled library, libtree-sitter.a, comes from the arm64 libtree-sitter-dev package that
# scripts/build-static.sh unpacks (ALEMBIC_LSP_TREE_SITTER_ARCHIVE).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_STRIP aarch64-linux-gnu-strip)
# Programs (npm) run on the build machine; CMake packages and headers are looked up
# on the build machine too; libraries only where the cross toolchain keeps them.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
