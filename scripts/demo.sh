#!/usr/bin/env bash
# Quick start: install what is needed, build, and check the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh -DALEMBIC_LSP_TESTS=OFF
echo "== alembic-lsp check examples/clean"
./build/server/alembic-lsp check examples/clean
echo
echo "== alembic-lsp check examples/tangled (exit status 1: it has errors)"
status=0
./build/server/alembic-lsp check examples/tangled || status=$?
[[ $status -eq 1 ]] || { echo "demo: expected exit status 1, got $status" >&2; exit 1; }
