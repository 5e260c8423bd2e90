#!/usr/bin/env bash
# The static binaries on machines that are not the build machine: bare Debian 11 (bullseye)
# and Debian 12 (bookworm) minbase roots made by debootstrap, into which only the binary and
# examples/ are copied (no Python, no libstdc++ beyond what minbase has, nothing of ours).
# In each root, through chroot:
#   - readelf -d (on the build machine): no NEEDED entry outside ALLOWED_NEEDED (empty: static);
#   - `check` on examples/clean (exit 0) and examples/tangled (exit 1, the findings of
#     examples/README.md present), text and JSON;
#   - a short LSP session (tests/portable/lsp_smoke.py drives it from outside the root over
#     the chroot'ed process's stdin/stdout: initialize, diagnostics, definition, merge code
#     action, shutdown, exit);
#   - the aarch64 binary: the same under qemu-aarch64-static (copied into the root), and
#     started directly (no qemu: the wrong architecture) it fails with one line.
#
#   tests/portable/bare_roots.sh [--roots DIR] X86_64_BINARY [AARCH64_BINARY]
#
# Roots are made once and reused (DIR defaults to build-portable/roots, ignored by git);
# the mirror is the one this machine's apt sources name, read at run time. Needs root
# (debootstrap, chroot) and the packages of scripts/setup.sh --static.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
roots=$source_dir/build-portable/roots
if [[ ${1:-} == --roots ]]; then roots=$2; shift 2; fi
x86=${1:?usage: bare_roots.sh [--roots DIR] X86_64_BINARY [AARCH64_BINARY]}
arm=${2:-}
suites=${PORTABLE_SUITES:-bullseye bookworm}
ALLOWED_NEEDED=${ALLOWED_NEEDED:-}

source "$here/roots_lib.sh"
tag=bare_roots
need_root
need debootstrap debootstrap
need readelf binutils
need python3 python3
[[ -n $arm ]] && need qemu-aarch64-static qemu-user-static
x86=$(realpath "$x86"); [[ -x $x86 ]] || fail "no executable at $x86"
if [[ -n $arm ]]; then arm=$(realpath "$arm"); [[ -x $arm ]] || fail "no executable at $arm"; fi

# ---- readelf: only the allowed shared libraries ------------------------------------------
check_needed() {
  local binary=$1 lib
  while read -r lib; do
    [[ " $ALLOWED_NEEDED " == *" $lib "* ]] || fail "$binary needs $lib (allowed: '${ALLOWED_NEEDED}')"
  done < <(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  echo "ok: readelf -d $(basename "$binary"): no NEEDED outside '${ALLOWED_NEEDED}'"
}
check_needed "$x86"
[[ -n $arm ]] && check_needed "$arm"

expect_check() {
  local dir=$1 label=$2; shift 2
  local out code
  out=$(in_root "$dir" "$@" check /opt/alembic-lsp/examples/clean 2>&1) && code=0 || code=$?
  [[ $code -eq 0 ]] || fail "$label: check examples/clean exited $code: $out"
  out=$(in_root "$dir" "$@" check /opt/alembic-lsp/examples/tangled 2>&1) && code=0 || code=$?
  [[ $code -eq 1 ]] || fail "$label: check examples/tangled exited $code (expected 1): $out"
  local finding
  for finding in multiple-heads unexpected-base missing-revision duplicate-revision header-mismatch \
                 branch-label-conflict syntax-error invalid-revision-id revision-cycle; do
    grep -q -- "$finding" <<<"$out" || fail "$label: check examples/tangled does not report $finding: $out"
  done
  out=$(in_root "$dir" "$@" check --format json /opt/alembic-lsp/examples/tangled 2>&1) || true
  grep -q '"heads"' <<<"$out" || fail "$label: check --format json printed no heads: $out"
  echo "ok: $label: check examples/clean exit 0, examples/tangled exit 1 with every finding kind, JSON"
}

expect_session() {
  local dir=$1 label=$2; shift 2
  local out
  out=$(python3 "$here/lsp_smoke.py" --project "$dir/opt/alembic-lsp/examples/tangled" \
          --inside /opt/alembic-lsp/examples/tangled -- \
          env -i PATH=/usr/bin:/bin HOME=/ LANG=C.UTF-8 "$chroot_bin" "$dir" "$@" 2>&1) ||
    fail "$label: LSP session: $out"
  echo "ok: $label: $out"
}

for suite in $suites; do
  make_root "$suite"
  dir=$roots/$suite
  label="$suite ($(cat "$dir/etc/debian_version"), glibc $(in_root "$dir" /usr/bin/ldd --version | sed -n "1s/.* //p"))"
  # Nothing of ours but the binaries and the examples.
  rm -rf "$dir/opt/alembic-lsp"
  mkdir -p "$dir/opt/alembic-lsp/bin"
  cp "$x86" "$dir/opt/alembic-lsp/bin/alembic-lsp"
  cp -r "$source_dir/examples" "$dir/opt/alembic-lsp/examples"
  in_root "$dir" /opt/alembic-lsp/bin/alembic-lsp --version >/dev/null ||
    fail "$label: alembic-lsp --version failed"
  expect_check "$dir" "$label x86_64" /opt/alembic-lsp/bin/alembic-lsp
  expect_session "$dir" "$label x86_64" /opt/alembic-lsp/bin/alembic-lsp

  if [[ -n $arm ]]; then
    cp "$arm" "$dir/opt/alembic-lsp/bin/alembic-lsp-aarch64"
    cp "$(command -v qemu-aarch64-static)" "$dir/opt/alembic-lsp/bin/qemu-aarch64-static"
    q=(/opt/alembic-lsp/bin/qemu-aarch64-static /opt/alembic-lsp/bin/alembic-lsp-aarch64)
    expect_check "$dir" "$label aarch64 under qemu" "${q[@]}"
    expect_session "$dir" "$label aarch64 under qemu" "${q[@]}"
    # Without qemu, the aarch64 binary on this x86_64 machine, started from bash: the kernel
    # refuses it (ENOEXEC) and the user sees one line naming the problem. (execvp-based
    # launchers such as chroot(1) or dash instead hand it to /bin/sh as a script: garbage.)
    out=$(in_root "$dir" /bin/bash -c '/opt/alembic-lsp/bin/alembic-lsp-aarch64 --version' 2>&1) &&
      fail "$label: the aarch64 binary ran without qemu (binfmt_misc registered?): $out"
    [[ $(wc -l <<<"$out") -eq 1 && $out == *"Exec format error"* ]] ||
      fail "$label: wrong-architecture start printed: $out"
    echo "ok: $label: aarch64 binary started directly: '$out'"
  fi
done
echo "bare_roots: all passed"
