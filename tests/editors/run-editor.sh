#!/bin/sh
# Runs one editor test file in real Emacs or Neovim against the server in ALEMBIC_LSP_BINARY:
#   run-editor.sh emacs|nvim [TEST_FILE]   (TEST_FILE relative to the source tree)
# run-emacs.sh and run-nvim.sh call it; ctest's editor_* tests and trixie/run-in-root.sh run
# those. Fails, never skips, when the editor is missing: tests/editors/install-deps.sh
# installs it.
set -eu
usage="usage: run-editor.sh emacs|nvim [TEST_FILE]"
editor=${1:?$usage}
here=$(cd "$(dirname "$0")" && pwd)
ALEMBIC_SOURCE_DIR=${ALEMBIC_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
export ALEMBIC_SOURCE_DIR
case $editor in
  emacs) packages="Debian's emacs-nox, elpa-eglot" default=tests/editors/emacs_test.el ;;
  nvim) packages="Debian's neovim" default=tests/editors/nvim_test.lua ;;
  *) echo "$usage (not '$editor')" >&2; exit 2 ;;
esac
if ! command -v "$editor" >/dev/null 2>&1; then
  echo "FAIL: $editor not found on PATH; run tests/editors/install-deps.sh ($packages)" >&2
  exit 1
fi
test_file=${2:-$default}
cd "$ALEMBIC_SOURCE_DIR"
# stdin is closed so that any unexpected prompt fails instead of waiting. The test bounds
# each of its waits; timeout bounds the editor itself should it hang.
case $editor in
  # --batch implies no user init file; Debian's site start-up still puts elpa-eglot on
  # the load-path.
  emacs) exec timeout -k 10 240 emacs --batch -l "$test_file" </dev/null ;;
  # -u NONE: no user config or plugins; -i NONE: no shada.
  nvim) exec timeout -k 10 240 nvim --headless -u NONE -i NONE -c "luafile $test_file" </dev/null ;;
esac
