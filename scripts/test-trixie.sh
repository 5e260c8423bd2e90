#!/usr/bin/env bash
# The editor tests with the current generation of editors: Debian 13 (trixie)'s Neovim
# 0.10 and Emacs 30 (built-in Eglot), in a debootstrap'd root under the build tree.
#
#   scripts/test-trixie.sh            # BUILD_DIR=build by default
#
# Not part of scripts/test.sh: making the root takes about 6 minutes and 600 MB the first
# time (tests/editors/trixie/make-root.sh; later runs reuse it). Turns the CMake option
# ALEMBIC_LSP_TRIXIE_TESTS on for the run (ctest label `trixie`: the root as a fixture,
# then editor_trixie_nvim, _nvim_alembic, _emacs, _emacs_alembic, _emacs_modes) and back
# to what it was afterwards, so the build's default ctest run stays as it was.
# Needs root (debootstrap, chroot, mount), debootstrap (apt-get install debootstrap) and
# what scripts/build-static.sh needs (scripts/setup.sh --static).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  echo "error: $build_dir is not configured: run scripts/build.sh -DALEMBIC_LSP_TESTS=ON first" >&2
  exit 1
fi
was=$(sed -n 's/^ALEMBIC_LSP_TRIXIE_TESTS:BOOL=//p' "$build_dir/CMakeCache.txt")
restore() { cmake -B "$build_dir" -DALEMBIC_LSP_TRIXIE_TESTS="${was:-OFF}" >/dev/null; }
trap restore EXIT
# The server as trixie users get it: the static release binary (dist-static/).
scripts/build-static.sh "$(uname -m)"
cmake -B "$build_dir" -DALEMBIC_LSP_TRIXIE_TESTS=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target emacs_tree_sitter_python
(cd "$build_dir" && ctest --output-on-failure -L trixie)
