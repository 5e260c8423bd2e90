#!/usr/bin/env bash
# Quick start: install what is needed, build once, run the whole test suite; then build
# again with AddressSanitizer + UndefinedBehaviorSanitizer and run every suite (unit,
# end-to-end, fuzz regression, parity, editors) under them.
# ALEMBIC_LSP_SKIP_ASAN=1 leaves the sanitizer pass out (local iterations only).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --tests
./tests/editors/install-deps.sh
./scripts/build.sh -DALEMBIC_LSP_TESTS=ON
(cd build && ctest --output-on-failure -j "$(nproc)" --timeout 900)

if [[ "${ALEMBIC_LSP_SKIP_ASAN:-0}" == 1 ]]; then
  echo "ALEMBIC_LSP_SKIP_ASAN=1: sanitizer pass skipped"
  exit 0
fi
echo "== AddressSanitizer + UndefinedBehaviorSanitizer build (preset asan, build-asan/)"
# Warnings stay warnings here: GCC 12 reports false maybe-uninitialized in <regex> at -O1
# with the sanitizers (the main build above is the one that turns warnings into errors).
cmake --preset asan -DALEMBIC_LSP_WERROR=OFF >/dev/null
cmake --build build-asan -j "$(nproc)"
# halt_on_error: the first report fails the test that caused it. The editor tests run the
# instrumented server under Neovim, Emacs and VS Code's client (about 70 s more on 2 cores).
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
# Left out of this pass by name (they run in the pass above):
# - editor_vscode_real: under ASan it would install code-server a second time (build-asan/)
#   for a server the other editor tests already drive instrumented (Neovim, Emacs, and the
#   extension's client in editor_vscode).
# - MemoryRelease.ReturnsWhatABurstFreedAndNothingMore: it measures glibc's malloc_trim, and
#   ASan replaces glibc's allocator with its own (the test fails, saying so, if run here).
(cd build-asan && ctest --output-on-failure -j "$(nproc)" --timeout 1800 -L 'unit|e2e|fuzz|parity|editors' \
  -E '^(editor_vscode_real|MemoryRelease\.ReturnsWhatABurstFreedAndNothingMore)$')
