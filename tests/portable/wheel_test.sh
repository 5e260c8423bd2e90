#!/usr/bin/env bash
# The wheel as a Python team uses it: a fresh venv, `pip install --no-index` of the file
# (nothing from the network), then the installed `alembic-lsp` on the venv's PATH:
# `check` on the examples, the LSP smoke session, `python -m alembic_lsp`, and the
# pre-commit hook's entry (.pre-commit-hooks.yaml, language: system) run with that PATH.
#   tests/portable/wheel_test.sh WHEEL [PYTHON]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
wheel=$(realpath "${1:?usage: wheel_test.sh WHEEL [PYTHON]}")
python=${2:-python3}
fail() { echo "wheel_test: FAIL: $*" >&2; exit 1; }
[[ -f $wheel ]] || fail "no wheel at $wheel"
"$python" -c 'import venv, ensurepip' 2>/dev/null ||
  fail "$python cannot make venvs with pip: install python3-venv"
case $(basename "$wheel") in
  *_"$(uname -m)".whl) ;;
  *) fail "$(basename "$wheel") is not for this machine ($(uname -m))" ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --no-index --disable-pip-version-check "$wheel" ||
  fail "pip install --no-index $wheel failed"
bin=$tmp/venv/bin/alembic-lsp
[[ -x $bin ]] || fail "pip did not install an executable alembic-lsp into the venv's bin/"
version=$("$bin" --version) || fail "alembic-lsp --version failed"
echo "ok: pip install --no-index $(basename "$wheel"): $version at venv/bin/alembic-lsp"

# With the venv's bin on PATH, as `source venv/bin/activate` or pipx leave it.
export PATH=$tmp/venv/bin:/usr/bin:/bin
code=0; alembic-lsp check "$source_dir/examples/clean" >/dev/null || code=$?
[[ $code -eq 0 ]] || fail "check examples/clean exited $code"
code=0; out=$(alembic-lsp check "$source_dir/examples/tangled" 2>&1) || code=$?
[[ $code -eq 1 ]] || fail "check examples/tangled exited $code (expected 1): $out"
grep -q multiple-heads <<<"$out" || fail "check examples/tangled: no multiple-heads: $out"
echo "ok: check examples/clean exit 0, examples/tangled exit 1 (multiple-heads)"

module=$("$tmp/venv/bin/python" -m alembic_lsp --version) || fail "python -m alembic_lsp failed"
[[ $module == "$version" ]] || fail "python -m alembic_lsp --version printed '$module', not '$version'"
echo "ok: python -m alembic_lsp --version: $module"

cp -r "$source_dir/examples/tangled" "$tmp/project"
out=$("$python" "$here/lsp_smoke.py" --project "$tmp/project" -- alembic-lsp 2>&1) ||
  fail "LSP session: $out"
echo "ok: $out"

# The pre-commit hook: its entry, as pre-commit runs a `language: system` hook (split on
# spaces, resolved on PATH, in the repository's top directory, no file names passed).
entry=$(sed -n 's/^ *entry: *//p' "$source_dir/.pre-commit-hooks.yaml")
[[ -n $entry ]] || fail "no entry in .pre-commit-hooks.yaml"
read -r -a argv <<<"$entry"
code=0; (cd "$source_dir/examples/clean" && "${argv[@]}" >/dev/null) || code=$?
[[ $code -eq 0 ]] || fail "pre-commit entry '$entry' in examples/clean exited $code"
code=0; (cd "$source_dir/examples/tangled" && "${argv[@]}" >/dev/null 2>&1) || code=$?
[[ $code -eq 1 ]] || fail "pre-commit entry '$entry' in examples/tangled exited $code (expected 1)"
echo "ok: pre-commit entry '$entry' with the venv on PATH: clean passes, tangled fails"
echo "wheel_test: all passed"
