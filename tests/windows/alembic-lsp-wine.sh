#!/usr/bin/env bash
# Runs alembic-lsp.exe under wine as if it were the Linux binary: the e2e tests'
# ALEMBIC_LSP_BINARY when scripts/test-windows.sh runs them. Arguments are passed as they
# are ("/tmp/x" is a path on wine's current drive Z:, which maps to "/").
exec "${WINE:-/usr/lib/wine/wine64}" "${ALEMBIC_LSP_EXE:?set by scripts/test-windows.sh}" "$@"
