#!/bin/sh
# The VS Code extension's tests, one entry point (exits non-zero on any failure):
#   1. npm run typecheck, npm run lint
#   2. unit tests; the integration test against the real server (test/server.test.ts)
#   3. the revision graph page in headless Chromium (test/graph.test.ts); screenshot at
#      build/vscode-graph.png; the migrations view's content (test/migrationsView.test.ts)
#   4. scripts/package.sh builds the .vsix (build/alembic-lsp-<version>.vsix) and it holds
#      the manifest and the server (test/package.test.ts)
# Installs what is missing first: Debian's chromium (dpkg-query, then apt-get) and the
# locked npm packages (npm ci). Never skips: a missing tool is a failure.
# What a person sees in VS Code (the extension activated, status bar, commands, Problems
# panel, code lens, the graph panel, restarts) is tested in real VS Code: run-real.sh.
#
# The server: $ALEMBIC_LSP_BINARY, else build/server/alembic-lsp, built with CMake and
# Ninja into build/ when it is not there.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ext="$root/editors/vscode"

step() { printf '\n== %s\n' "$*"; }

# -- what the tests need -------------------------------------------------------
if [ "$(dpkg-query -W -f='${db:Status-Status}' chromium 2>/dev/null || true)" != "installed" ]; then
  step "installing Debian's chromium"
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null 2>&1 || { echo "run.sh: chromium is missing and installing it needs root" >&2; exit 1; }
    SUDO=sudo
  fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi
for tool in node npm unzip; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done

ALEMBIC_LSP_BINARY=${ALEMBIC_LSP_BINARY:-$root/build/server/alembic-lsp}
if [ ! -x "$ALEMBIC_LSP_BINARY" ]; then
  step "building the server into $root/build"
  cmake -S "$root" -B "$root/build" -G Ninja
  ninja -C "$root/build" alembic-lsp
  ALEMBIC_LSP_BINARY=$root/build/server/alembic-lsp
fi
export ALEMBIC_LSP_BINARY
echo "server: $ALEMBIC_LSP_BINARY"

cd "$ext"
step "npm ci"
npm ci --no-audit --no-fund

# -- 1. static checks ------------------------------------------------------------
step "typecheck"
npm run --silent typecheck
step "lint"
npm run --silent lint

# -- 2.-3. node tests (one file at a time: each starts servers or a browser) -----
step "build"
node scripts/build.mjs --tests
for t in unit server graph migrationsView; do
  step "test/$t.test.ts"
  node --test --test-concurrency=1 "out/test/$t.test.js"
done

# -- 4. packaging (last: package.sh runs npm ci and a production build) ---------
step "test/package.test.ts"
node --test "out/test/package.test.js"

step "all VS Code extension tests passed"
echo "screenshot: $root/build/vscode-graph.png"
