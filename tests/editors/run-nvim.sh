#!/bin/sh
# ctest editor_nvim: the Neovim plugin against the real server (see nvim_test.lua);
# editor_nvim_alembic etc.: run-nvim.sh tests/editors/nvim_alembic_test.lua.
# See run-editor.sh (fails, never skips, when nvim is missing).
exec sh "$(dirname "$0")/run-editor.sh" nvim "$@"
