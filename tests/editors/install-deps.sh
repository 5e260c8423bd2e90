#!/bin/sh
# Installs the editors the editor tests drive: Debian's Neovim (0.7.2 on bookworm),
# Emacs without X (28.2) and eglot for it, and the alembic command (Debian's alembic, with
# python3-alembic) that the editors' "Upgrade to here" etc. run. Idempotent: asks dpkg
# first and only runs apt-get (update + install) when something is missing. Needs root
# (or sudo).
set -eu

PACKAGES="neovim emacs-nox elpa-eglot alembic"

missing=""
for pkg in $PACKAGES; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  if [ "$status" != "installed" ]; then
    missing="$missing $pkg"
  fi
done

if [ -z "$missing" ]; then
  echo "install-deps: already installed: $PACKAGES"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-deps: need root to install:$missing" >&2
    exit 1
  fi
fi

echo "install-deps: installing:$missing"
$SUDO apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
