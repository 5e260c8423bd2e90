#!/bin/sh
# Runs one editor test (tests/editors/run-nvim.sh or run-emacs.sh, unchanged) inside the
# Debian trixie root made by make-root.sh, with that release's Neovim 0.10 / Emacs 30:
#
#   ALEMBIC_LSP_BINARY=build/server/alembic-lsp [ALEMBIC_EMACS_TS_GRAMMAR=.../libtree-sitter-python.so] \
#     tests/editors/trixie/run-in-root.sh ROOT nvim|emacs [TEST_FILE]
#
# The server binary (scripts/build-static.sh's: it needs nothing from the root) and the files the tests read (editors/,
# tests/editors/, examples/) are copied into a directory of their own under ROOT/tmp,
# removed afterwards, so runs can go side by side. /proc and /dev are mounted in a private
# mount namespace (unshare), so they go away with the run whatever happens. Needs root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=${1:?usage: run-in-root.sh ROOT nvim|emacs [TEST_FILE]}
editor=${2:?usage: run-in-root.sh ROOT nvim|emacs [TEST_FILE]}
test_file=${3:-}
source_dir=${ALEMBIC_SOURCE_DIR:-$(cd "$here/../../.." && pwd)}
binary=${ALEMBIC_LSP_BINARY:?ALEMBIC_LSP_BINARY: the alembic-lsp binary to test}

case $editor in
  nvim | emacs) ;;
  *) echo "FAIL: editor must be nvim or emacs, not '$editor'" >&2; exit 2 ;;
esac
if [ ! -f "$root/.alembic-lsp-root" ]; then
  echo "FAIL: $root is not a finished root: run tests/editors/trixie/make-root.sh $root" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "FAIL: run-in-root.sh needs root (chroot, mount)" >&2
  exit 1
fi
[ -x "$binary" ] || { echo "FAIL: ALEMBIC_LSP_BINARY is not an executable: $binary" >&2; exit 1; }

work=$(mktemp -d "$root/tmp/alembic-lsp-test-XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT INT TERM
inner=/tmp/$(basename "$work") # the same directory, seen from inside the root
mkdir -p "$work/src/tests" "$work/home" "$work/tmp"
cp -R "$source_dir/editors" "$source_dir/examples" "$work/src/"
cp -R "$source_dir/tests/editors" "$work/src/tests/"
rm -rf "$work/src/editors/vscode" # not used here, and large with its node_modules
cp "$binary" "$work/alembic-lsp"
# Emacs 30's python-ts-mode needs the Python grammar, which trixie does not package:
# ALEMBIC_EMACS_TS_GRAMMAR (libtree-sitter-python.so, built by CMake from the grammar's
# sources the server uses) goes where Emacs looks for grammars, ~/.emacs.d/tree-sitter.
if [ -n "${ALEMBIC_EMACS_TS_GRAMMAR:-}" ]; then
  mkdir -p "$work/home/.emacs.d/tree-sitter"
  cp "$ALEMBIC_EMACS_TS_GRAMMAR" "$work/home/.emacs.d/tree-sitter/libtree-sitter-python.so"
fi

# The binary comes from the host's toolchain: say so plainly if trixie cannot run it.
if ! version=$(chroot "$root" "$inner/alembic-lsp" --version 2>&1); then
  echo "FAIL: the alembic-lsp binary does not run in the trixie root: $version" >&2
  echo "      (a binary linked against this machine's libraries may not: use scripts/build-static.sh's)" >&2
  exit 1
fi
echo "# in $(sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' "$root/etc/os-release"): $version"

test_arg=""
[ -n "$test_file" ] && test_arg=$test_file
unshare --mount --propagation private sh -eu -c '
  root=$1 inner=$2 editor=$3 test_arg=$4
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  exec chroot "$root" env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 TERM=dumb \
    HOME="$inner/home" TMPDIR="$inner/tmp" \
    ALEMBIC_LSP_BINARY="$inner/alembic-lsp" ALEMBIC_SOURCE_DIR="$inner/src" \
    ${ALEMBIC_TEST_TIMEOUT:+ALEMBIC_TEST_TIMEOUT=$ALEMBIC_TEST_TIMEOUT} \
    sh "$inner/src/tests/editors/run-$editor.sh" ${test_arg:+"$test_arg"}
' run-in-root "$root" "$inner" "$editor" "$test_arg"
