#!/usr/bin/env bash
# Installs what building (and, with --tests, testing) alembic-lsp needs on Debian.
# Idempotent: apt runs only when a package is missing.
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config git
  nlohmann-json3-dev libasio-dev libspdlog-dev libtree-sitter-dev libtomlplusplus-dev)
if [[ "${1:-}" == "--tests" ]]; then
  packages+=(libgtest-dev libgmock-dev python3 python3-alembic python3-flask-migrate unzip chromium graphviz)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches the pinned grammar; a machine may already have its own Node.js.
command -v npm >/dev/null || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
