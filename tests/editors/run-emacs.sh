#!/bin/sh
# ctest editor_emacs: editors/emacs/alembic-lsp.el with Eglot against the real server
# (see emacs_test.el); editor_emacs_alembic etc.: run-emacs.sh tests/editors/emacs_alembic_test.el.
# See run-editor.sh (fails, never skips, when Emacs or Eglot is missing).
exec sh "$(dirname "$0")/run-editor.sh" emacs "$@"
