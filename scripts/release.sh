#!/usr/bin/env bash
# Every release artifact, into dist/ (ignored by git), from a clean clone:
#   alembic-lsp-VERSION-linux-{x86_64,aarch64}          the static binaries
#   alembic_lsp-VERSION-py3-none-manylinux_2_17_*.whl    the wheels (pip/pipx/uv)
#   alembic-lsp-VERSION-linux-{x64,arm64}.vsix           VS Code, per platform, binary inside
#   alembic-lsp-VERSION.vsix                             VS Code, universal (server from PATH)
#   alembic-lsp_VERSION_{amd64,arm64}.deb                Debian/Ubuntu packages (static binary)
#   alembic-lsp-VERSION-linux-{x86_64,aarch64}.tar.gz    binary + man page + editor files
#   alembic-lsp-VERSION-win32-x64.{exe,zip,vsix}, alembic_lsp-VERSION-py3-none-win_amd64.whl
#                                                        Windows (scripts/release-windows.sh)
#   SHA256SUMS
# Needs what scripts/setup.sh --static installs, plus npm (the grammar and the extension's
# pinned packages come from the npm registry, nothing else is downloaded).
#
# Reproducible where the tools allow: SOURCE_DATE_EPOCH defaults to the last commit's time;
# the binaries (same compiler, same packages), the wheels (scripts/build-wheel.py), the .deb
# and the .tar.gz (CPack) follow it; vsce stamps the packaging time into the .vsix, so each
# one is rewritten with scripts/normalise-zip.py (same entries, fixed times, name order).
#   scripts/release.sh [--skip-build] [--arch x86_64|aarch64]
#     --skip-build: reuse the dist-static/ binaries (and the build-static-ARCH/ trees);
#     --arch: only that architecture's artifacts (and the universal .vsix), e.g. to build
#     the x86_64 ones twice and compare them without the long aarch64 cross compile.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
export TZ=UTC LC_ALL=C.UTF-8
version=$(sed -n 's/^project(alembic-lsp VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[[ -n $version ]] || { echo "release: no version in CMakeLists.txt" >&2; exit 1; }

skip_build='' arches='x86_64 aarch64'
while [[ $# -gt 0 ]]; do
  case $1 in
    --skip-build) skip_build=1; shift ;;
    --arch)
      [[ ${2:-} == x86_64 || ${2:-} == aarch64 ]] ||
        { echo "release: --arch takes x86_64 or aarch64, not '${2:-}'" >&2; exit 2; }
      arches=$2; shift 2 ;;
    *) echo "usage: scripts/release.sh [--skip-build] [--arch x86_64|aarch64]" >&2; exit 2 ;;
  esac
done
[[ -n $skip_build ]] || for arch in $arches; do scripts/build-static.sh "$arch"; done

rm -rf dist
mkdir -p dist
declare -A vscode_target=([x86_64]=linux-x64 [aarch64]=linux-arm64)
for arch in $arches; do
  binary=dist-static/alembic-lsp-linux-$arch
  [[ -x $binary ]] || { echo "release: no $binary (scripts/build-static.sh $arch)" >&2; exit 1; }
  cp "$binary" "dist/alembic-lsp-$version-linux-$arch"
  touch -d "@$SOURCE_DATE_EPOCH" "dist/alembic-lsp-$version-linux-$arch"

  python3 scripts/build-wheel.py --binary "$binary" --arch "$arch" --out dist >/dev/null

  # .deb and .tar.gz from the static build directory (install rules of CMakeLists.txt;
  # cpack builds nothing, so the man page target first).
  cmake --build "build-static-$arch" --target alembic_lsp_man >/dev/null
  (cd "build-static-$arch" && cpack -G "DEB;TGZ" >/dev/null)
  cp "build-static-$arch"/alembic-lsp_*.deb "build-static-$arch/alembic-lsp-$version-linux-$arch.tar.gz" dist/

  target=${vscode_target[$arch]}
  sh editors/vscode/scripts/package.sh --target "$target" "$binary" \
    "$root/dist/alembic-lsp-$version-$target.vsix" >/dev/null
done
sh editors/vscode/scripts/package.sh --target universal "$root/dist/alembic-lsp-$version.vsix" >/dev/null
for vsix in dist/*.vsix; do
  python3 scripts/normalise-zip.py --first extension.vsixmanifest --first '[Content_Types].xml' "$vsix"
done

# The Windows artifacts (cross-compiled with MinGW; --skip-build reuses dist-windows/).
scripts/release-windows.sh ${skip_build:+--skip-build} >/dev/null

(cd dist && rm -f SHA256SUMS && sha256sum -- * > SHA256SUMS)
echo "release: dist/ (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
(cd dist && ls -l --time-style=+ | sed 1d | awk '{printf "  %10s  %s\n", $5, $NF}')
