#!/usr/bin/env bash
# Installs what building (and, with --tests, testing) alembic-lsp needs on Debian.
# Idempotent: apt runs only when a package is missing.
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config git
  nlohmann-json3-dev libasio-dev libspdlog-dev libtree-sitter-dev libtomlplusplus-dev)
case "${1:-}" in
  --tests) packages+=(libgtest-dev libgmock-dev python3 python3-alembic
    python3-typing-extensions python3-flask-migrate unzip chromium graphviz clang-format-14
    pre-commit man-db groff-base curl python3-yaml) ;;
  # Static binaries and release artifacts (scripts/build-static.sh, scripts/release.sh,
  # tests/portable): the aarch64 cross toolchain, bare Debian roots, qemu for arm64,
  # Python's venv for the wheel test. The arm64 libtree-sitter-dev is downloaded by
  # build-static.sh, which needs arm64 enabled in dpkg (multiarch). MinGW for the Windows
  # artifacts (scripts/release-windows.sh, which release.sh runs).
  --static) packages+=(g++-aarch64-linux-gnu binutils-aarch64-linux-gnu debootstrap
    qemu-user-static python3 python3-venv python3-pip dpkg-dev g++-mingw-w64-x86-64-posix) ;;
esac
sudo_cmd=()
[[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
update=0
if [[ "${1:-}" == "--static" ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "setup: enabling arm64 packages (dpkg --add-architecture arm64)"
  "${sudo_cmd[@]}" dpkg --add-architecture arm64
  update=1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches the pinned grammar; a machine may already have its own Node.js.
command -v npm >/dev/null || missing+=(nodejs npm)

((${#missing[@]})) && update=1
if ((update)); then
  "${sudo_cmd[@]}" apt-get update -qq
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
