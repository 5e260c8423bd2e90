#!/usr/bin/env bash
# Creates a Debian 13 (trixie) root with the editors of that release, for the editor tests
# of the current generation (Neovim 0.10, Emacs 30 with its built-in Eglot):
#
#   tests/editors/trixie/make-root.sh ROOT
#
# debootstrap (minbase) from the Debian mirror this machine's apt already uses (read from
# its sources at run time), then, inside the root, apt-get install of the packages below.
# Idempotent: a root whose stamp names the same packages is left as it is; a root left
# half-made by an interrupted run is removed and made again. Needs root (debootstrap,
# chroot, mount) and debootstrap (apt-get install debootstrap).
set -euo pipefail

SUITE=trixie
# The editors, and Debian's alembic for the editors' Alembic commands (as install-deps.sh).
PACKAGES="neovim emacs-nox alembic"
STAMP_TEXT="debian $SUITE minbase + $PACKAGES (--no-install-recommends)"

root=${1:?usage: make-root.sh ROOT}
mkdir -p "$(dirname "$root")"
root=$(cd "$(dirname "$root")" && pwd)/$(basename "$root")
stamp="$root/.alembic-lsp-root"

if [[ -f $stamp && "$(cat "$stamp")" == "$STAMP_TEXT" ]]; then
  echo "make-root: up to date: $root ($STAMP_TEXT)"
  exit 0
fi

if [[ $(id -u) != 0 ]]; then
  echo "error: make-root.sh needs root (debootstrap, chroot); $root is not made yet" >&2
  exit 1
fi
for tool in debootstrap chroot unshare apt-get; do
  command -v "$tool" >/dev/null || {
    echo "error: $tool is needed: apt-get install debootstrap (util-linux for unshare)" >&2
    exit 1
  }
done
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f $keyring ]] || { echo "error: $keyring missing: apt-get install debian-archive-keyring" >&2; exit 1; }

# The Debian mirror apt already uses: the repository serving this system's own suite.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(TARGET_OF)' 2>/dev/null |
  awk -v c="$codename" '$2 == c && $3 == "main" && $4 == "deb" { print $1; exit }')
if [[ -z $mirror ]]; then
  echo "error: no Debian mirror for suite '$codename' (component main) in this machine's apt sources" >&2
  exit 1
fi

# A root without a stamp is a leftover of an interrupted run: start over. Refuse anything
# that does not look like one of ours (never rm -rf a directory we did not make).
if [[ -e $root ]]; then
  if [[ -d $root && ( -f $root/debootstrap/debootstrap.log || -f $stamp || -d $root/var/lib/dpkg ||
        -z "$(ls -A "$root")" ) ]]; then
    if grep -q " $root/" /proc/mounts; then
      echo "error: something is mounted below $root; unmount it first" >&2
      exit 1
    fi
    echo "make-root: removing the unfinished root $root"
    rm -rf --one-file-system "$root"
  else
    echo "error: $root exists and is not a root made by make-root.sh; remove it or choose another path" >&2
    exit 1
  fi
fi

echo "make-root: debootstrap $SUITE from $mirror into $root"
start=$(date +%s)
debootstrap --variant=minbase --keyring="$keyring" "$SUITE" "$root" "$mirror"
after_debootstrap=$(date +%s)

# apt inside the root, with /proc and /dev in a private mount namespace: they go away
# with the process, whatever happens.
echo "make-root: apt-get install $PACKAGES (in the root)"
# shellcheck disable=SC2016,SC2086 # the inner script expands its own arguments; one word per package
unshare --mount --propagation private sh -eu -c '
  root=$1; shift
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
    apt-get install -y --no-install-recommends "$@"
  chroot "$root" apt-get clean
' make-root "$root" $PACKAGES
end=$(date +%s)

echo "$STAMP_TEXT" >"$stamp"
chroot "$root" sh -c 'nvim --version | head -1; emacs --version | head -1; alembic --version'
echo "make-root: done in $((end - start)) s (debootstrap $((after_debootstrap - start)) s, packages $((end - after_debootstrap)) s)"
