#!/usr/bin/env bash
# The release binaries and wheels where they will run (see docs/release.md, "Proven on other
# machines"): the bare Debian 11/12 roots (x86_64 natively, aarch64 under qemu), the wheels
# in a fresh venv, and with --dist the other artifacts of a release too.
#   tests/portable/run.sh [--dist DIR] [--roots DIR]     (root; scripts/setup.sh --static first)
# --dist DIR: the artifacts scripts/release.sh wrote (its dist/): tests/portable/
#   dist_contents.sh on them (SHA256SUMS, every artifact, what each carries), the binaries
#   and wheels from there, and the amd64 .deb through tests/portable/deb_install.sh in fresh
#   bullseye and bookworm roots. Without it: the build tree's dist-static/ binaries (built
#   by scripts/build-static.sh all when missing) and wheels made from them.
# --roots DIR: where the debootstrapped roots are kept (made when missing, then reused);
#   default build-portable/roots.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
dist='' roots=$PWD/build-portable/roots
while [[ ${1:-} == --* ]]; do
  case $1 in
    --dist) dist=$(realpath "$2"); shift 2 ;;
    --roots) roots=$(realpath -m "$2"); shift 2 ;;
    *) echo "usage: run.sh [--dist DIR] [--roots DIR]" >&2; exit 2 ;;
  esac
done
version=$(sed -n 's/^project(alembic-lsp VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
wheels=build-portable/wheels
if [[ -n $dist ]]; then
  "$here/dist_contents.sh" "$dist"
  x86=$dist/alembic-lsp-$version-linux-x86_64
  arm=$dist/alembic-lsp-$version-linux-aarch64
  x86_wheel=$dist/alembic_lsp-$version-py3-none-manylinux_2_17_x86_64.whl
  arm_wheel=$dist/alembic_lsp-$version-py3-none-manylinux_2_17_aarch64.whl
else
  x86=dist-static/alembic-lsp-linux-x86_64
  arm=dist-static/alembic-lsp-linux-aarch64
  [[ -x $x86 && -x $arm ]] || scripts/build-static.sh all
  rm -rf "$wheels"
  x86_wheel=$(python3 scripts/build-wheel.py --binary "$x86" --arch x86_64 --out "$wheels")
  arm_wheel=$(python3 scripts/build-wheel.py --binary "$arm" --arch aarch64 --out "$wheels")
fi

"$here/bare_roots.sh" --roots "$roots" "$x86" "$arm"

# The wheel in a fresh venv of Debian's Python and of the python3 first on PATH, if another.
pythons=$(printf '%s\n' /usr/bin/python3 "$(command -v python3)" | xargs -n1 realpath -e 2>/dev/null | awk '!seen[$0]++')
for python in $pythons; do
  echo "wheel_test with $python ($("$python" --version 2>&1))"
  "$here/wheel_test.sh" "$x86_wheel" "$python"
done

# The aarch64 wheel: pip accepts its tag for an aarch64 target and installs the binary as
# the script; the installed binary answers under qemu.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --no-index --disable-pip-version-check \
  --platform manylinux_2_17_aarch64 --only-binary=:all: --target "$tmp/arm" "$arm_wheel" ||
  { echo "run: FAIL: pip refused $(basename "$arm_wheel") for manylinux_2_17_aarch64" >&2; exit 1; }
installed=$tmp/arm/bin/alembic-lsp
[[ -x $installed ]] || { echo "run: FAIL: the aarch64 wheel installed no executable bin/alembic-lsp" >&2; exit 1; }
cp -r examples/tangled "$tmp/project"
python3 "$here/lsp_smoke.py" --project "$tmp/project" -- qemu-aarch64-static "$installed"
echo "ok: $(basename "$arm_wheel"): pip --platform manylinux_2_17_aarch64 installs it; LSP session under qemu"
# python -m alembic_lsp of that wheel on this machine: its one line, before any exec.
code=0; out=$(PYTHONPATH=$tmp/arm "$tmp/venv/bin/python" -m alembic_lsp --version 2>&1) || code=$?
[[ $code -eq 1 && $(wc -l <<<"$out") -eq 1 && $out == *"carries the linux-aarch64 binary"*"built for $(uname -m)" ]] ||
  { echo "run: FAIL: python -m alembic_lsp of the aarch64 wheel on $(uname -m): exit $code: $out" >&2; exit 1; }
echo "ok: python -m alembic_lsp of the aarch64 wheel on $(uname -m): '$out'"
# And pip on this x86_64 machine refuses it for itself, in one line.
if "$tmp/venv/bin/python" -m pip install -q --no-index --disable-pip-version-check "$arm_wheel" 2>"$tmp/err"; then
  echo "run: FAIL: pip installed an aarch64 wheel on $(uname -m)" >&2; exit 1
fi
grep -q "is not a supported wheel on this platform" "$tmp/err" ||
  { echo "run: FAIL: pip's refusal said: $(cat "$tmp/err")" >&2; exit 1; }
echo "ok: pip on $(uname -m) refuses the aarch64 wheel: $(head -n1 "$tmp/err")"

if [[ -n $dist ]]; then
  for suite in bullseye bookworm; do
    "$here/deb_install.sh" --roots "$roots" --suite "$suite" "$dist/alembic-lsp_${version}_amd64.deb"
  done
fi
echo "portable: all passed${dist:+ (the artifacts of $dist)}"
