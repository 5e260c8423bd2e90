#!/bin/sh
# Re-captures the `initialize` params real editors send to alembic-lsp, into bench/clients/:
#   nvim-0.7.2.json   Neovim (Debian's neovim) with editors/nvim, started as tests/editors does
#   eglot-1.9-emacs-28.2.json   Emacs (Debian's emacs-nox) + Eglot (elpa-eglot) with editors/emacs
# Each editor starts record_initialize.py instead of the server; it saves the first
# message's params and then runs the real server. The file names carry the versions
# found; a different version gets a new file beside the old ones.
#   ALEMBIC_LSP_BINARY=build-release/server/alembic-lsp bench/clients/capture.sh
# VS Code's params come from the real-VS-Code tests' code-server (see README.md here).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ALEMBIC_SOURCE_DIR=$(cd "$here/../.." && pwd)
ALEMBIC_LSP_BINARY=$(realpath "${ALEMBIC_LSP_BINARY:-$ALEMBIC_SOURCE_DIR/build/server/alembic-lsp}")
export ALEMBIC_SOURCE_DIR ALEMBIC_LSP_BINARY
[ -x "$ALEMBIC_LSP_BINARY" ] || { echo "capture.sh: no server at $ALEMBIC_LSP_BINARY (set ALEMBIC_LSP_BINARY)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$ALEMBIC_SOURCE_DIR/examples/clean" "$tmp/project"
export CAPTURE_WRAPPER="$here/record_initialize.py"
export CAPTURE_FILE="$tmp/project/migrations/versions/3f2b9c1d7a4e_create_users_table.py"
cd "$tmp/project"

if command -v nvim >/dev/null; then
  v=$(nvim --version | sed -n '1s/^NVIM v//p')
  export CAPTURE_OUT="$here/nvim-$v.json"
  rm -f "$CAPTURE_OUT"
  timeout -k 5 90 nvim --headless -u NONE -i NONE -c "luafile $here/capture_nvim.lua" </dev/null
  echo "captured $CAPTURE_OUT"
else
  echo "capture.sh: nvim not found (Debian's neovim)" >&2; exit 1
fi

if command -v emacs >/dev/null; then
  ev=$(emacs --batch --eval '(princ emacs-version)')
  gv=$(emacs --batch --eval '(princ (locate-library "eglot"))' | sed -n 's|.*/eglot-\([0-9][0-9.]*\)/.*|\1|p')
  [ -n "$gv" ] || gv=unknown
  export CAPTURE_OUT="$here/eglot-$gv-emacs-$ev.json"
  rm -f "$CAPTURE_OUT"
  timeout -k 5 90 emacs --batch -l "$here/capture_emacs.el" </dev/null
  echo "captured $CAPTURE_OUT"
else
  echo "capture.sh: emacs not found (Debian's emacs-nox, elpa-eglot)" >&2; exit 1
fi
