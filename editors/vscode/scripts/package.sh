#!/bin/sh
# Builds the .vsix: npm ci (skipped when node_modules was installed from this very
# package-lock.json), esbuild bundles, the server binary copied into
# server/TARGET/, then `vsce package --target TARGET`.
#   scripts/package.sh [--target linux-x64|linux-arm64|win32-x64|universal] [SERVER_BINARY] [OUTPUT.vsix]
# TARGET defaults to linux-x64. "universal" carries no binary (the extension then uses
# alembic.server.path or alembic-lsp on PATH) and takes no SERVER_BINARY.
# SERVER_BINARY defaults to ../../build/server/alembic-lsp (the repository's build); for
# releases it is the static binary of scripts/build-static.sh for that target (win32-x64:
# alembic-lsp.exe of scripts/build-windows.sh).
# OUTPUT defaults to alembic-lsp-<version>.vsix in editors/vscode (ignored by git).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
target=linux-x64
if [ "${1:-}" = --target ]; then target=$2; shift 2; fi
case $target in
  linux-x64) machine='X86-64' ;;
  linux-arm64) machine='AArch64' ;;
  win32-x64) machine= ;;
  universal) machine= ;;
  *) echo "package.sh: unknown target '$target' (linux-x64, linux-arm64, win32-x64, universal)" >&2; exit 1 ;;
esac

# Arguments are relative to where the script was called from.
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
if [ "$target" = universal ]; then
  binary=
  output=${1:+$(absolute "$1")}
else
  binary=$(absolute "${1:-$here/../../build/server/alembic-lsp}")
  output=${2:+$(absolute "$2")}
fi
cd "$here"
if [ -n "$binary" ] && { [ ! -f "$binary" ] || { [ "$target" != win32-x64 ] && [ ! -x "$binary" ]; }; }; then
  echo "package.sh: no server binary at $binary (build it: cmake -S ../.. -B ../../build -G Ninja && ninja -C ../../build alembic-lsp)" >&2
  exit 1
fi
version=$(node -p "require('./package.json').version")
output=${output:-$here/alembic-lsp-$version.vsix}

# npm ci only when node_modules was not installed from this very lock (a stamp records it).
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.ci-lock-sha256 2>/dev/null || true)" != "$lock_sum" ]; then
  npm ci --no-audit --no-fund
  echo "$lock_sum" > node_modules/.ci-lock-sha256
fi
node scripts/build.mjs --production

rm -rf server
cp ../../LICENSE LICENSE
if [ "$target" = universal ]; then
  npx --no-install vsce package --allow-missing-repository --out "$output"
  echo "package.sh: wrote $output (universal: no server binary)"
  exit 0
fi
# Never a binary for another machine in a target's package.
if [ "$target" = win32-x64 ]; then
  # A PE image for x86-64: "PE\0\0" at the offset stored at 0x3c, then machine 0x8664.
  pe=$(od -An -tu4 -j60 -N4 "$binary" 2>/dev/null | tr -d ' ')
  if [ -z "$pe" ] || [ "$(od -An -tx1 -j"$pe" -N6 "$binary" | tr -d ' ')" != 504500006486 ]; then
    echo "package.sh: $binary is not a win32-x64 executable (PE, x86-64)" >&2
    exit 1
  fi
  exe=alembic-lsp.exe
else
  if ! readelf -h "$binary" 2>/dev/null | grep -q "Machine:.*$machine"; then
    echo "package.sh: $binary is not a $target executable ($(readelf -h "$binary" 2>/dev/null | sed -n 's/.*Machine: *//p'))" >&2
    exit 1
  fi
  exe=alembic-lsp
fi
mkdir -p "server/$target" server/rules
cp "$binary" "server/$target/$exe"
# The rule pages each diagnostic's code links to (server/rule_pages.h: server/<platform>/../rules).
cp ../../docs/rules/*.md server/rules/
chmod 755 "server/$target/$exe"
# Debug symbols are most of a debug build's size; users do not need them.
strip_tool=strip
[ "$target" = linux-arm64 ] && strip_tool=aarch64-linux-gnu-strip
[ "$target" = win32-x64 ] && strip_tool=x86_64-w64-mingw32-strip
if command -v "$strip_tool" >/dev/null 2>&1; then
  "$strip_tool" --strip-unneeded "server/$target/$exe"
fi
case $target in
  linux-x64) "server/$target/alembic-lsp" --version >/dev/null ;;
  linux-arm64) if command -v qemu-aarch64-static >/dev/null 2>&1; then
      qemu-aarch64-static "server/$target/alembic-lsp" --version >/dev/null; fi ;;
esac

# The licence travels in the .vsix (a copy of the repository's LICENSE, not committed here);
# no repository URL in the manifest: say so instead of being asked.
npx --no-install vsce package --target "$target" --allow-missing-repository --out "$output"
echo "package.sh: wrote $output"
