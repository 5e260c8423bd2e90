#!/bin/sh
# ctest editor_nvim: the Neovim plugin against the real server (see nvim_test.lua);
# editor_nvim_alembic: run-nvim.sh tests/editors/nvim_alembic_test.lua.
# Fails, never skips, when nvim is missing: tests/editors/install-deps.sh installs it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ALEMBIC_SOURCE_DIR=${ALEMBIC_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
export ALEMBIC_SOURCE_DIR
if ! command -v nvim >/dev/null 2>&1; then
  echo "FAIL: nvim not found on PATH; run tests/editors/install-deps.sh (Debian's neovim)" >&2
  exit 1
fi
cd "$ALEMBIC_SOURCE_DIR"
# -u NONE: no user config or plugins; -i NONE: no shada; stdin closed so nothing is read.
# The test bounds each of its waits; timeout bounds Neovim itself should it hang.
exec timeout -k 10 240 nvim --headless -u NONE -i NONE -c "luafile ${1:-tests/editors/nvim_test.lua}" </dev/null
