#!/bin/sh
# ctest editor_emacs: editors/emacs/alembic-lsp.el with Eglot against the real server
# (see emacs_test.el); editor_emacs_alembic: run-emacs.sh tests/editors/emacs_alembic_test.el. Fails, never skips, when Emacs or Eglot is missing:
# tests/editors/install-deps.sh installs them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ALEMBIC_SOURCE_DIR=${ALEMBIC_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
export ALEMBIC_SOURCE_DIR
if ! command -v emacs >/dev/null 2>&1; then
  echo "FAIL: emacs not found on PATH; run tests/editors/install-deps.sh (Debian's emacs-nox, elpa-eglot)" >&2
  exit 1
fi
cd "$ALEMBIC_SOURCE_DIR"
# --batch implies no user init file; Debian's site start-up still puts elpa-eglot on the
# load-path. stdin is closed so that any unexpected prompt fails instead of waiting. The
# test bounds each of its waits; timeout bounds Emacs itself should it hang.
exec timeout -k 10 240 emacs --batch -l "${1:-tests/editors/emacs_test.el}" </dev/null
