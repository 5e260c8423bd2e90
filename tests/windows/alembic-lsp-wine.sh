#!/usr/bin/env bash
# Runs alembic-lsp.exe under wine as if it were the Linux binary: the e2e tests'
# ALEMBIC_LSP_BINARY when scripts/test-windows.sh runs them. Arguments are passed as they
# are ("/tmp/x" is a path on wine's current drive Z:, which maps to "/").
# The prefix and the .exe default to the ones scripts/test-windows.sh prepares, so a test
# that starts the server with an environment of its own (no WINEPREFIX, another HOME) still
# uses the prefix initialised once before the run instead of creating a new one in $HOME.
here=$(cd "$(dirname "$0")/../.." && pwd)
export WINEPREFIX=${WINEPREFIX:-$here/build-windows-x64/wine} WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}
exec "${WINE:-/usr/lib/wine/wine64}" "${ALEMBIC_LSP_EXE:-$here/build-windows-x64/server/alembic-lsp.exe}" "$@"
