#!/usr/bin/env bash
# Cross-compiles alembic-lsp.exe for win32-x64 on Debian 12:
#   scripts/build-windows.sh
# Needs: g++-mingw-w64-x86-64-posix (apt), npm (the grammar and the tree-sitter runtime
# sources come from npm, pinned by hash), the header-only -dev packages of scripts/setup.sh.
# Output: build-windows-x64/server/alembic-lsp.exe and, stripped, dist-windows/alembic-lsp.exe.
# Checks what it built: the only DLLs it imports are ones every Windows ships.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
die() { echo "build-windows: $*" >&2; exit 1; }

command -v x86_64-w64-mingw32-g++-posix >/dev/null ||
  die "no x86_64-w64-mingw32-g++-posix: apt-get install g++-mingw-w64-x86-64-posix"

# Reuse the grammar tarball of another build directory when there is one (no second npm pack).
grammar_args=()
for tgz in build*/analysis/grammar/tree-sitter-python-*.tgz; do
  [[ -f $tgz ]] && grammar_args=(-DTSP_TARBALL="$root/$tgz") && break
done

cmake --preset windows-x64 "${grammar_args[@]}" "$@" >/dev/null
cmake --build build-windows-x64 -j "${JOBS:-$(nproc)}" --target alembic-lsp
mkdir -p dist-windows
out=dist-windows/alembic-lsp.exe
x86_64-w64-mingw32-strip --strip-all -o "$out" build-windows-x64/server/alembic-lsp.exe

# DLLs that are part of every Windows (no MinGW runtime: libstdc++, libgcc, winpthread
# are linked in).
allowed='^(KERNEL32|msvcrt|WS2_32|MSWSOCK|ADVAPI32|USER32|SHELL32|ole32)\.dll$'
dlls=$(x86_64-w64-mingw32-objdump -p "$out" | sed -n 's/^\s*DLL Name: //p')
while read -r dll; do
  [[ $dll =~ $allowed ]] || die "$out imports $dll, which Windows does not ship"
done <<<"$dlls"
echo "build-windows: $out ($(stat -c %s "$out") bytes; imports: $(echo $dlls))"
