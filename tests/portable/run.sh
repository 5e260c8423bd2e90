#!/usr/bin/env bash
# The release binaries and wheels where they will run (see docs/release.md, "Proven on other
# machines"): builds what is missing (scripts/build-static.sh all, reused afterwards),
# then the bare Debian 11/12 roots (x86_64 natively, aarch64 under qemu) and the wheels.
#   tests/portable/run.sh        (root; scripts/setup.sh --static first)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
x86=dist-static/alembic-lsp-linux-x86_64
arm=dist-static/alembic-lsp-linux-aarch64
[[ -x $x86 && -x $arm ]] || scripts/build-static.sh all

"$here/bare_roots.sh" "$x86" "$arm"

wheels=build-portable/wheels
rm -rf "$wheels"
x86_wheel=$(python3 scripts/build-wheel.py --binary "$x86" --arch x86_64 --out "$wheels")
arm_wheel=$(python3 scripts/build-wheel.py --binary "$arm" --arch aarch64 --out "$wheels")
"$here/wheel_test.sh" "$x86_wheel"

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
echo "portable: all passed"
