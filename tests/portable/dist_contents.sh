#!/usr/bin/env bash
# What scripts/release.sh put into dist/, checked as a downloader sees it (no build tree):
#   - SHA256SUMS names every other file and `sha256sum -c` accepts it;
#   - every artifact of the issue is there: both static binaries, both wheels, the .vsix per
#     target and the universal one, both .debs, both tarballs (and nothing unexpected);
#   - each binary: the right ELF machine, no dynamic section, no interpreter;
#   - the tarball's bin/alembic-lsp and the .deb's /usr/bin/alembic-lsp are the same bytes as
#     the bare binary of their architecture; the .deb names that architecture and no Depends;
#   - each target .vsix carries exactly one server, for its own target, which answers
#     --version (the arm64 one under qemu-aarch64-static); the universal .vsix carries none;
#   - each wheel's only script is the bare binary of its architecture, and its tag says so.
#   tests/portable/dist_contents.sh DIST_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
dist=$(realpath "${1:?usage: dist_contents.sh DIST_DIR}")
fail() { echo "dist_contents: FAIL: $*" >&2; exit 1; }
[[ -f $dist/SHA256SUMS ]] || fail "no SHA256SUMS in $dist"
version=$(sed -n 's/^project(alembic-lsp VERSION \([0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")

expected=()
for arch in x86_64 aarch64; do
  expected+=("alembic-lsp-$version-linux-$arch" "alembic-lsp-$version-linux-$arch.tar.gz"
             "alembic_lsp-$version-py3-none-manylinux_2_17_$arch.whl")
done
expected+=("alembic-lsp_${version}_amd64.deb" "alembic-lsp_${version}_arm64.deb"
           "alembic-lsp-$version-linux-x64.vsix" "alembic-lsp-$version-linux-arm64.vsix"
           "alembic-lsp-$version.vsix")
# scripts/release-windows.sh (which release.sh runs)
expected+=("alembic-lsp-$version-win32-x64.exe" "alembic-lsp-$version-win32-x64.zip"
           "alembic-lsp-$version-win32-x64.vsix" "alembic_lsp-$version-py3-none-win_amd64.whl")
actual=$(cd "$dist" && ls -1 | grep -vx SHA256SUMS | sort)
[[ $actual == "$(printf '%s\n' "${expected[@]}" | sort)" ]] ||
  fail "dist/ holds"$'\n'"$actual"$'\n'"expected"$'\n'"$(printf '%s\n' "${expected[@]}" | sort)"
[[ $(awk '{print $2}' "$dist/SHA256SUMS" | sort) == "$actual" ]] ||
  fail "SHA256SUMS does not name exactly the other files of dist/"
(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum -c SHA256SUMS"
echo "ok: dist/: the ${#expected[@]} artifacts and SHA256SUMS (sha256sum -c passes)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A machine=([x86_64]='Advanced Micro Devices X86-64' [aarch64]=AArch64)
declare -A deb_arch=([x86_64]=amd64 [aarch64]=arm64)
declare -A vsix_target=([x86_64]=linux-x64 [aarch64]=linux-arm64)
run_binary() {  # ARCH BINARY ARGS...
  local arch=$1; shift
  if [[ $arch == "$(uname -m)" ]]; then "$@"; else "qemu-$arch-static" "$@"; fi
}
for arch in x86_64 aarch64; do
  bin=$dist/alembic-lsp-$version-linux-$arch
  [[ $(readelf -h "$bin" | sed -n 's/.*Machine: *//p') == "${machine[$arch]}" ]] || fail "$bin is not $arch"
  ! readelf -l "$bin" | grep -q -e INTERP -e DYNAMIC || fail "$bin is dynamically linked"
  out=$(run_binary "$arch" "$bin" --version) || fail "$bin --version"
  [[ $out == *"$version"* ]] || fail "$bin --version printed '$out'"

  mkdir -p "$tmp/tgz-$arch" && tar -xzf "$dist/alembic-lsp-$version-linux-$arch.tar.gz" -C "$tmp/tgz-$arch"
  tgz_bin=$(find "$tmp/tgz-$arch" -path '*/bin/alembic-lsp' -type f)
  [[ -n $tgz_bin ]] && cmp -s "$tgz_bin" "$bin" || fail "the $arch tarball's bin/alembic-lsp is not $bin"
  [[ -n $(find "$tmp/tgz-$arch" -name alembic-lsp.1.gz) ]] || fail "no man page in the $arch tarball"

  deb=$dist/alembic-lsp_${version}_${deb_arch[$arch]}.deb
  [[ $(dpkg-deb -f "$deb" Architecture) == "${deb_arch[$arch]}" ]] || fail "$deb: Architecture"
  [[ -z $(dpkg-deb -f "$deb" Depends 2>/dev/null) ]] || fail "$deb has Depends: $(dpkg-deb -f "$deb" Depends)"
  dpkg-deb -x "$deb" "$tmp/deb-$arch"
  cmp -s "$tmp/deb-$arch/usr/bin/alembic-lsp" "$bin" || fail "$deb's /usr/bin/alembic-lsp is not $bin"

  target=${vsix_target[$arch]}
  mkdir -p "$tmp/vsix-$arch" && (cd "$tmp/vsix-$arch" && unzip -q "$dist/alembic-lsp-$version-$target.vsix")
  servers=$(cd "$tmp/vsix-$arch" && find extension/server -name alembic-lsp -type f)
  [[ $servers == "extension/server/$target/alembic-lsp" ]] || fail "$target .vsix carries: $servers"
  [[ -x $tmp/vsix-$arch/$servers ]] || fail "$target .vsix: the server lost its executable bit"
  grep -q "TargetPlatform=\"$target\"" "$tmp/vsix-$arch/extension.vsixmanifest" ||
    fail "$target .vsix: the manifest names no TargetPlatform $target"
  out=$(run_binary "$arch" "$tmp/vsix-$arch/$servers" --version) || fail "$target .vsix's server --version"
  [[ $out == *"$version"* ]] || fail "$target .vsix's server --version printed '$out'"

  wheel=$dist/alembic_lsp-$version-py3-none-manylinux_2_17_$arch.whl
  mkdir -p "$tmp/whl-$arch" && (cd "$tmp/whl-$arch" && unzip -q "$wheel")
  cmp -s "$tmp/whl-$arch/alembic_lsp-$version.data/scripts/alembic-lsp" "$bin" ||
    fail "$(basename "$wheel")'s script is not $bin"
  grep -qx "Tag: py3-none-manylinux_2_17_$arch" "$tmp/whl-$arch/alembic_lsp-$version.dist-info/WHEEL" ||
    fail "$(basename "$wheel"): WHEEL names another tag"
  echo "ok: $arch: binary ($(stat -c %s "$bin") bytes, static), tarball and .deb (no Depends) hold the same bytes, $target .vsix's server answers, wheel script = binary"
done
mkdir -p "$tmp/universal" && (cd "$tmp/universal" && unzip -q "$dist/alembic-lsp-$version.vsix")
[[ -z $(find "$tmp/universal" -name alembic-lsp -type f) ]] || fail "the universal .vsix carries a server"
! grep -q TargetPlatform "$tmp/universal/extension.vsixmanifest" || fail "the universal .vsix names a target"
echo "ok: the universal .vsix carries no server and names no target"
# Windows: the .zip's and the wheel's alembic-lsp.exe are the bare .exe; the .vsix carries one
# win32-x64 server (stripped again by package.sh); each is a PE executable for x86-64 (run
# under wine by the steps of docs/release.md, not here: wine is no release requirement).
exe=$dist/alembic-lsp-$version-win32-x64.exe
pe_machine() { python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); p=int.from_bytes(d[60:64],"little")
print(hex(int.from_bytes(d[p+4:p+6],"little")) if d[:2]==b"MZ" and d[p:p+4]==b"PE\0\0" else "none")' "$1"; }
[[ $(pe_machine "$exe") == 0x8664 ]] || fail "$exe is not a PE executable for x86-64"
mkdir -p "$tmp/win-zip" && (cd "$tmp/win-zip" && unzip -q "$dist/alembic-lsp-$version-win32-x64.zip")
cmp -s "$tmp/win-zip/alembic-lsp-$version-win32-x64/alembic-lsp.exe" "$exe" || fail "the .zip's alembic-lsp.exe is not $exe"
[[ -f $tmp/win-zip/alembic-lsp-$version-win32-x64/rules/multiple-heads.md ]] || fail "no rules/ in the .zip"
mkdir -p "$tmp/win-vsix" && (cd "$tmp/win-vsix" && unzip -q "$dist/alembic-lsp-$version-win32-x64.vsix")
servers=$(cd "$tmp/win-vsix" && find extension/server -name 'alembic-lsp*' -type f)
[[ $servers == extension/server/win32-x64/alembic-lsp.exe ]] || fail "win32-x64 .vsix carries: $servers"
[[ $(pe_machine "$tmp/win-vsix/$servers") == 0x8664 ]] || fail "the win32-x64 .vsix's server is not for x86-64"
grep -q 'TargetPlatform="win32-x64"' "$tmp/win-vsix/extension.vsixmanifest" || fail "win32-x64 .vsix: no TargetPlatform"
mkdir -p "$tmp/win-whl" && (cd "$tmp/win-whl" && unzip -q "$dist/alembic_lsp-$version-py3-none-win_amd64.whl")
cmp -s "$tmp/win-whl/alembic_lsp-$version.data/scripts/alembic-lsp.exe" "$exe" || fail "the win_amd64 wheel's script is not $exe"
grep -qx "Tag: py3-none-win_amd64" "$tmp/win-whl/alembic_lsp-$version.dist-info/WHEEL" || fail "the win_amd64 wheel names another tag"
echo "ok: win32-x64: .exe (PE x86-64), .zip and wheel hold the same bytes, the .vsix one win32-x64 server"
echo "dist_contents: all passed"
