#!/bin/sh
# The extension's main test: the packaged .vsix in real VS Code (code-server 4.100.3 =
# VS Code 1.100.3) driven by headless Chromium; see real/vscode.test.mjs for the checks.
#   1. install-code-server.sh into $BUILD/code-server (once; later runs: a stamp check)
#   2. editors/vscode/scripts/package.sh builds the .vsix with the server under test
#   3. real/vscode.test.mjs: a fresh copy of examples/ opened as the folder
# Screenshots: $BUILD/vscode-real/run/vscode-problems.png, vscode-graph.png and, on failure,
# vscode-failure-*.png (with the page's HTML). Never skips: a missing tool is a failure.
#
# $BUILD: $ALEMBIC_BUILD_DIR, else the directory of $ALEMBIC_LSP_BINARY's parent (the CMake
# build), else build/. The server: $ALEMBIC_LSP_BINARY, else $BUILD/server/alembic-lsp.
# Cost: the first run ~2 min of npm downloads and ~3-6 min of native builds (2 cores),
# ~330 MB; then ~1 min for the .vsix and 2-3 min for the checks.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ALEMBIC_LSP_BINARY=${ALEMBIC_LSP_BINARY:-$root/build/server/alembic-lsp}
[ -x "$ALEMBIC_LSP_BINARY" ] || { echo "run-real.sh: no server at $ALEMBIC_LSP_BINARY (build the alembic-lsp target)" >&2; exit 1; }
build=${ALEMBIC_BUILD_DIR:-$(cd "$(dirname "$ALEMBIC_LSP_BINARY")/.." && pwd)}
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "run-real.sh: $tool is not installed" >&2; exit 1; }
done

sh "$here/install-code-server.sh" "$build/code-server"

echo "== run-real: packaging the extension"
mkdir -p "$build/vscode-real"
vsix="$build/vscode-real/alembic-lsp-test.vsix"
sh "$root/editors/vscode/scripts/package.sh" "$ALEMBIC_LSP_BINARY" "$vsix" >"$build/vscode-real/package.log" 2>&1 \
  || { tail -30 "$build/vscode-real/package.log" >&2; exit 1; }

echo "== run-real: the checks"
exec node "$here/real/vscode.test.mjs" "$root" "$build/code-server" "$vsix" "$ALEMBIC_LSP_BINARY" "$build/vscode-real/run"
