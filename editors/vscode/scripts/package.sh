#!/bin/sh
# Builds the .vsix: npm ci, esbuild bundles, the server binary copied into
# server/linux-x64/, then `vsce package`.
#   scripts/package.sh [SERVER_BINARY] [OUTPUT.vsix]
# SERVER_BINARY defaults to ../../build/server/alembic-lsp (the repository's build);
# OUTPUT defaults to alembic-lsp-<version>.vsix in editors/vscode (ignored by git).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)

# Arguments are relative to where the script was called from.
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
binary=$(absolute "${1:-$here/../../build/server/alembic-lsp}")
output=${2:+$(absolute "$2")}
cd "$here"
if [ ! -x "$binary" ]; then
  echo "package.sh: no server binary at $binary (build it: cmake -S ../.. -B ../../build -G Ninja && ninja -C ../../build alembic-lsp)" >&2
  exit 1
fi
version=$(node -p "require('./package.json').version")
output=${output:-$here/alembic-lsp-$version.vsix}

npm ci --no-audit --no-fund
node scripts/build.mjs --production

rm -rf server
mkdir -p server/linux-x64
cp "$binary" server/linux-x64/alembic-lsp
chmod 755 server/linux-x64/alembic-lsp
# Debug symbols are most of a debug build's size; users do not need them.
if command -v strip >/dev/null 2>&1; then
  strip --strip-unneeded server/linux-x64/alembic-lsp
fi
server/linux-x64/alembic-lsp --version >/dev/null

# The licence travels in the .vsix (a copy of the repository's LICENSE, not committed here);
# no repository URL in the manifest: say so instead of being asked.
cp ../../LICENSE LICENSE
npx --no-install vsce package --allow-missing-repository --out "$output"
echo "package.sh: wrote $output"
