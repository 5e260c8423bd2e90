#!/usr/bin/env bash
# A .deb installed the way users install it, `apt-get install ./alembic-lsp_..._amd64.deb`,
# into a fresh Debian root (a copy of the minbase root bare_roots.sh makes, so nothing of a
# previous run is left): apt resolves the package's Depends from the mirror (the shared
# build's .deb: libspdlog, libfmt, libtree-sitter... worked out by dpkg-shlibdeps; the static
# release .deb: none), then in the root:
#   - `alembic-lsp --version`, `check` on examples/clean (exit 0) and examples/tangled (exit 1);
#   - a short LSP session (tests/portable/lsp_smoke.py) against the installed binary;
#   - the man page and the copyright file where Debian expects them;
#   - `apt-get remove` leaves no file of the package behind.
#
#   tests/portable/deb_install.sh [--roots DIR] [--suite SUITE] FILE.deb
#   (e.g. `cd build && cpack -G DEB` then tests/portable/deb_install.sh build/alembic-lsp_0.1.0_amd64.deb)
#
# By hand only (debootstrap downloads a root once, apt then fetches the dependencies):
# root, network to the Debian mirror, scripts/setup.sh --static. Last run: see docs/release.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
roots=$source_dir/build-portable/roots
suite=bookworm
while [[ ${1:-} == --* ]]; do
  case $1 in
    --roots) roots=$2; shift 2 ;;
    --suite) suite=$2; shift 2 ;;
    *) echo "usage: deb_install.sh [--roots DIR] [--suite SUITE] FILE.deb" >&2; exit 2 ;;
  esac
done
deb=${1:?usage: deb_install.sh [--roots DIR] [--suite SUITE] FILE.deb}
source "$here/roots_lib.sh"
tag=deb_install
need_root
need debootstrap debootstrap
need dpkg-deb dpkg
need python3 python3
deb=$(realpath "$deb"); [[ -f $deb ]] || fail "no file at $deb"
package=$(dpkg-deb -f "$deb" Package)
depends=$(dpkg-deb -f "$deb" Depends || true)
[[ $package == alembic-lsp ]] || fail "$deb is package '$package', not alembic-lsp"

make_root "$suite"
fresh=$(mktemp -d "$roots/fresh-$suite.XXXXXX")
cleanup() { for m in proc dev/pts dev; do umount "$fresh/root/$m" 2>/dev/null || true; done; rm -rf "$fresh"; }
trap cleanup EXIT
cp -a "$roots/$suite" "$fresh/root"
dir=$fresh/root
cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$dir/proc"
label="$suite ($(cat "$dir/etc/debian_version")), $(basename "$deb")"
echo "$tag: $label, Depends: ${depends:-none}"

in_root "$dir" test ! -e /usr/bin/alembic-lsp || fail "$label: the fresh root already has alembic-lsp"
cp "$deb" "$dir/tmp/"
in_root "$dir" apt-get update -qq >"$fresh/apt.log" 2>&1 || fail "$label: apt-get update: $(tail -5 "$fresh/apt.log")"
out=$(in_root "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      "./tmp/$(basename "$deb")" 2>&1) || fail "$label: apt-get install ./$(basename "$deb"): $(tail -20 <<<"$out")"
grep -q "Setting up alembic-lsp" <<<"$out" || fail "$label: apt did not set up alembic-lsp: $(tail -20 <<<"$out")"
echo "ok: $label: apt-get install ./$(basename "$deb") ($(grep -c '^Setting up' <<<"$out") packages set up)"

version=$(in_root "$dir" alembic-lsp --version 2>&1) || fail "$label: alembic-lsp --version: $version"
[[ $version == *"$(dpkg-deb -f "$deb" Version)"* ]] || fail "$label: --version says '$version'"
mkdir -p "$dir/opt/examples"
cp -r "$source_dir/examples/clean" "$source_dir/examples/tangled" "$dir/opt/examples/"
out=$(in_root "$dir" alembic-lsp check /opt/examples/clean 2>&1) || fail "$label: check examples/clean: $out"
code=0; out=$(in_root "$dir" alembic-lsp check /opt/examples/tangled 2>&1) || code=$?
[[ $code -eq 1 ]] || fail "$label: check examples/tangled exited $code (expected 1): $out"
for finding in multiple-heads missing-revision duplicate-revision revision-cycle; do
  grep -q -- "$finding" <<<"$out" || fail "$label: check examples/tangled does not report $finding"
done
echo "ok: $label: $version; check examples/clean exit 0, examples/tangled exit 1"
out=$(python3 "$here/lsp_smoke.py" --project "$dir/opt/examples/tangled" --inside /opt/examples/tangled -- \
        env -i PATH=/usr/bin:/bin HOME=/ LANG=C.UTF-8 "$chroot_bin" "$dir" alembic-lsp 2>&1) ||
  fail "$label: LSP session: $out"
echo "ok: $label: LSP session: $out"

for f in /usr/bin/alembic-lsp /usr/share/man/man1/alembic-lsp.1.gz /usr/share/doc/alembic-lsp/copyright; do
  in_root "$dir" dpkg -S "$f" >/dev/null 2>&1 || fail "$label: $f is not installed by the package"
done
in_root "$dir" sh -c 'gzip -dc /usr/share/man/man1/alembic-lsp.1.gz | head -n 1' | grep -q '^\.TH ALEMBIC-LSP 1' ||
  fail "$label: the installed man page is not the alembic-lsp(1) page"
echo "ok: $label: binary, man page and copyright installed where dpkg -S finds them"

files=$(in_root "$dir" dpkg -L alembic-lsp | while read -r f; do [[ -f $dir$f ]] && echo "$f"; done)
in_root "$dir" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq alembic-lsp >/dev/null 2>&1 ||
  fail "$label: apt-get remove alembic-lsp failed"
for f in $files; do [[ ! -e $dir$f ]] || fail "$label: $f left behind by apt-get remove"; done
echo "ok: $label: apt-get remove took its $(wc -w <<<"$files") files away"
echo "deb_install: all passed"
