#!/bin/sh
# Installs real VS Code for the extension's tests: code-server 4.100.3 (VS Code 1.100.3's
# workbench and extension host; the last release that runs on Node 20) from npm, pinned by
# tests/editors-vscode/code-server/package-lock.json (npm ci checks every tarball's
# integrity; code-server's own is sha512-q/Fh2DOx...). Idempotent: a stamp file records a
# finished install and the script returns at once when it matches.
#   install-code-server.sh DEST        (e.g. build/code-server)
#
# code-server's npm postinstall cannot run here (it refuses root, and @vscode/ripgrep and
# several native modules download prebuilt binaries from outside the npm registry), so
# its steps are done by hand:
#   1. Debian packages: libkrb5-dev (kerberos builds against it), ripgrep (stands in for
#      the binary @vscode/ripgrep downloads), chromium (drives the workbench).
#   2. npm ci --ignore-scripts of the pinned host package.
#   3. argon2 built from source (npm rebuild; its prebuilt download fails offline).
#   4. lib/vscode and lib/vscode/extensions: npm install --omit=dev --ignore-scripts
#      (both are locked by code-server's npm-shrinkwrap.json files), the node_modules.asar
#      link and the remote-cli/helpers links the postinstall makes.
#   5. node-gyp rebuild of lib/vscode's native modules (node's headers from Debian's
#      nodejs in /usr/include/node): @parcel/watcher, @vscode/spdlog, kerberos, node-pty,
#      native-watchdog, @vscode/deviceid.
#   6. Debian's rg copied to node_modules/@vscode/ripgrep/bin/rg.
# First run: ~1 min of npm downloads, ~3-6 min of native builds on 2 busy cores,
# ~330 MB on disk. Later runs: a stamp check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: install-code-server.sh DEST}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
version=4.100.3
stamp="$dest/.installed"
want="code-server $version; lock $(sha256sum "$here/code-server/package-lock.json" | cut -c1-16); steps 1"

step() { printf '== install-code-server: %s\n' "$*"; }

# -- 1. Debian packages (only when missing) -----------------------------------------
missing=""
for p in libkrb5-dev ripgrep chromium g++ make python3; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" = installed ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
  step "installing Debian packages:$missing"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-code-server: needs$missing (apt-get install$missing as root)" >&2; exit 1; }
    SUDO=sudo
  fi
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 $missing
fi
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-code-server: $tool is not installed (apt-get install nodejs npm)" >&2; exit 1; }
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || { echo "install-code-server: code-server $version needs Node 20, found $(node --version)" >&2; exit 1; }

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  step "code-server $version already installed in $dest"
  exit 0
fi
rm -f "$stamp"

# node-gyp as npm ships it; node's headers come from Debian's nodejs (no download).
gyp="$(npm prefix -g)/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || { echo "install-code-server: npm's node-gyp is not at $gyp" >&2; exit 1; }
nodedir=$(npm config get nodedir)
[ -f "$nodedir/include/node/node_api.h" ] || { echo "install-code-server: node's headers are not under $nodedir/include/node (apt-get install libnode-dev)" >&2; exit 1; }

# -- 2. the pinned package ------------------------------------------------------------
step "npm ci code-server@$version (integrity-checked)"
cp "$here/code-server/package.json" "$here/code-server/package-lock.json" "$dest/"
(cd "$dest" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
cs="$dest/node_modules/code-server"
[ "$(node -p "require('$cs/package.json').version")" = "$version" ] || { echo "install-code-server: wrong code-server version installed" >&2; exit 1; }

# -- 3. argon2 (from source) ------------------------------------------------------------
step "building argon2"
(cd "$dest" && npm rebuild argon2 --foreground-scripts --loglevel=error >"$dest/argon2-build.log" 2>&1) \
  || { tail -20 "$dest/argon2-build.log" >&2; exit 1; }

# -- 4. VS Code's own dependencies and the links the postinstall makes ---------------------
step "npm install in lib/vscode and lib/vscode/extensions"
vs="$cs/lib/vscode"
(cd "$vs" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error)
(cd "$vs/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error && node postinstall.mjs >/dev/null)
ln -sfn node_modules "$vs/node_modules.asar"
ln -sfn code-linux.sh "$vs/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$vs/bin/helpers/browser.sh"

# -- 5. native modules ------------------------------------------------------------------------
for m in @parcel/watcher @vscode/spdlog kerberos node-pty native-watchdog @vscode/deviceid; do
  step "building $m"
  log="$dest/build-$(echo "$m" | tr '/@' '__').log"
  (cd "$vs/node_modules/$m" && node "$gyp" rebuild --nodedir="$nodedir" >"$log" 2>&1) || { tail -30 "$log" >&2; exit 1; }
done

# -- 6. ripgrep ---------------------------------------------------------------------------------
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"

# A smoke check: every native module loads in this Node.
step "loading the native modules"
(cd "$vs" && node -e '
  for (const m of ["@parcel/watcher", "@vscode/spdlog", "kerberos", "node-pty", "native-watchdog"]) require(m);
  require("child_process").execFileSync(require("@vscode/ripgrep").rgPath, ["--version"]);
')
(cd "$dest" && node -e 'require("argon2")')

echo "$want" >"$stamp"
step "done: $(du -sh "$dest" | cut -f1) in $dest"
