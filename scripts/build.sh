#!/usr/bin/env bash
# Configures and builds alembic-lsp into ./build (reused between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DALEMBIC_LSP_WERROR=ON "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
