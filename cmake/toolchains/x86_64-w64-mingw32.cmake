# Cross-compiling alembic-lsp.exe for win32-x64 with Debian's MinGW-w64 toolchain, the
# POSIX-threads flavour (g++-mingw-w64-x86-64-posix: std::thread via winpthreads, linked
# statically). Header-only dependencies come from the build machine's Debian packages
# (cmake/dependencies.cmake links them into the build tree, away from glibc's headers);
# the tree-sitter runtime and the grammar are compiled from their npm sources.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_STRIP x86_64-w64-mingw32-strip)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# wine runs the result, e.g. for try_run and for tests that start the binary.
set(CMAKE_CROSSCOMPILING_EMULATOR wine)
