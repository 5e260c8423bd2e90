#!/usr/bin/env bash
# Quick start: install what is needed, build once, run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --tests
./tests/editors/install-deps.sh
./scripts/build.sh -DALEMBIC_LSP_TESTS=ON
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 900
