#!/usr/bin/env bash
# Builds the self-contained (fully static) alembic-lsp for linux-x86_64 and/or linux-aarch64:
#   scripts/build-static.sh [x86_64|aarch64|all]     (default: the build machine's architecture)
# Built on an x86_64 Debian 12 machine (aarch64 by cross-compiling).
# Output: build-static-ARCH/server/alembic-lsp (stripped) and, for the release script,
# dist-static/alembic-lsp-linux-ARCH. Only the alembic-lsp target is built (no tests).
# Needs: scripts/setup.sh --static (cross toolchain, arm64 multiarch enabled for the
# arm64 libtree-sitter-dev, which is unpacked under build-static-aarch64/, not installed).
# Checks what it built: readelf -d must show no NEEDED entry and no program interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

host_arch=$(uname -m)
targets=${1:-$host_arch}
[[ $targets == all ]] && targets="x86_64 aarch64"

die() { echo "build-static: $*" >&2; exit 1; }

# The arm64 libtree-sitter.a: downloaded with apt (the configured Debian mirror) and
# unpacked into the build directory, so the build machine's own packages stay as they are.
arm64_tree_sitter() {
  local dir=$root/build-static-aarch64/deps
  local archive=$dir/root/usr/lib/aarch64-linux-gnu/libtree-sitter.a
  if [[ ! -f $archive ]]; then
    dpkg --print-foreign-architectures | grep -qx arm64 ||
      die "arm64 packages are not enabled: run scripts/setup.sh --static"
    mkdir -p "$dir" && rm -f "$dir"/*.deb
    (cd "$dir" && apt-get download -q libtree-sitter-dev:arm64 >/dev/null) ||
      die "apt-get download libtree-sitter-dev:arm64 failed"
    dpkg-deb -x "$dir"/libtree-sitter-dev_*_arm64.deb "$dir/root"
  fi
  [[ -f $archive ]] || die "no $archive in libtree-sitter-dev:arm64"
  echo "$archive"
}

# Reuse the grammar tarball of another build directory when there is one (no second npm pack).
grammar_args=()
for tgz in build*/analysis/grammar/tree-sitter-python-*.tgz; do
  [[ -f $tgz ]] && grammar_args=(-DTSP_TARBALL="$root/$tgz") && break
done

for arch in $targets; do
  case $arch in
    x86_64) preset=static; strip=strip; extra=() ;;
    aarch64)
      preset=static-aarch64; strip=aarch64-linux-gnu-strip
      command -v aarch64-linux-gnu-g++ >/dev/null ||
        die "no aarch64-linux-gnu-g++: run scripts/setup.sh --static (g++-aarch64-linux-gnu)"
      extra=(-DALEMBIC_LSP_TREE_SITTER_ARCHIVE="$(arm64_tree_sitter)") ;;
    *) die "unknown architecture '$arch' (x86_64, aarch64 or all)" ;;
  esac
  build_dir=build-static-$arch
  cmake --preset "$preset" "${grammar_args[@]}" "${extra[@]}" >/dev/null
  cmake --build "$build_dir" -j "${JOBS:-$(nproc)}" --target alembic-lsp
  binary=$build_dir/server/alembic-lsp
  mkdir -p dist-static
  out=dist-static/alembic-lsp-linux-$arch
  "$strip" --strip-all -o "$out" "$binary"
  chmod 755 "$out"

  # Self-contained means: no dynamic section entries asking for libraries, no ELF interpreter.
  needed=$(readelf -d "$out" 2>/dev/null | grep NEEDED || true)
  [[ -z $needed ]] || die "$out needs shared libraries:"$'\n'"$needed"
  ! readelf -l "$out" | grep -q 'Requesting program interpreter' ||
    die "$out asks for a dynamic loader"
  echo "build-static: $out ($(stat -c %s "$out") bytes, statically linked, $(readelf -h "$out" | sed -n 's/.*Machine: *//p'))"
done
