#!/usr/bin/env bash
# Fetches the newer Alembic releases the parity tests run against, beside (never over) the
# system's python3-alembic: DEST/<version>/alembic/ is importable with PYTHONPATH=DEST/<version>.
#
#   scripts/fetch-alembic-versions.sh DEST
#
# Each release is the python3-alembic .deb of a newer Debian suite (pure Python; it runs on
# Debian 12's SQLAlchemy 1.4 with python3-typing-extensions). The .deb comes through apt from
# the Debian mirror this machine's apt already uses (read from its sources at run time), with
# a temporary sources list and apt state under DEST/.apt, so the system's apt is untouched.
# The download is checked against the SHA256 pinned below, then unpacked with dpkg -x.
# Idempotent: a release already unpacked from the pinned .deb is left as it is.
set -euo pipefail

# version  suite  Debian package version  SHA256 of the .deb
PINS=(
  "1.13.2 trixie 1.13.2-4 9f0eda2d981101fec8046b9d830690b0404659351bceaf78f02d389821818e0d"
  "1.18.4 forky 1.18.4-2 46f3968bb39decf81f82c97baad3d1bc796fe8e0ba8dea82a42a914c9b90776c"
)

dest=${1:?usage: fetch-alembic-versions.sh DEST}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

needed=()
for pin in "${PINS[@]}"; do
  read -r version suite debver sha <<<"$pin"
  stamp="$dest/$version/.from-deb"
  if [[ -f "$dest/$version/alembic/__init__.py" && -f "$stamp" &&
        "$(cat "$stamp")" == "python3-alembic $debver $sha" ]]; then
    continue
  fi
  needed+=("$pin")
done
if ((${#needed[@]} == 0)); then
  echo "fetch-alembic-versions: up to date in $dest"
  exit 0
fi

for tool in apt-get dpkg sha256sum; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed (a Debian system)" >&2; exit 1; }
done
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f $keyring ]] || { echo "error: $keyring missing: apt-get install debian-archive-keyring" >&2; exit 1; }

# The Debian mirror apt already uses: the repository that serves this system's own suite.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(TARGET_OF)' 2>/dev/null |
  awk -v c="$codename" '$2 == c && $3 == "main" && $4 == "deb" { print $1; exit }')
if [[ -z $mirror ]]; then
  echo "error: no Debian mirror for suite '$codename' (component main) in this machine's apt sources" >&2
  exit 1
fi

apt_dir="$dest/.apt"
rm -rf "$apt_dir"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/parts" "$apt_dir/debs"
: >"$apt_dir/status"
for pin in "${needed[@]}"; do
  read -r version suite debver sha <<<"$pin"
  echo "deb [signed-by=$keyring] $mirror $suite main"
done | sort -u >"$apt_dir/sources.list"
apt_opts=(-q -o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=$apt_dir/parts"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::State::status=$apt_dir/status" -o "APT::Architectures=$(dpkg --print-architecture)")
# As root apt hands downloads to the _apt user, which cannot write into a build tree.
[[ $(id -u) -eq 0 ]] && apt_opts+=(-o "APT::Sandbox::User=root")

echo "fetch-alembic-versions: apt-get update for the suites $(awk '{printf "%s ", $4}' "$apt_dir/sources.list")of the mirror in use"
apt-get "${apt_opts[@]}" update >"$apt_dir/update.log" 2>&1 || {
  cat "$apt_dir/update.log" >&2
  echo "error: apt-get update of the temporary sources failed" >&2
  exit 1
}

for pin in "${needed[@]}"; do
  read -r version suite debver sha <<<"$pin"
  (cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" download "python3-alembic=$debver") >"$apt_dir/download.log" 2>&1 || {
    cat "$apt_dir/download.log" >&2
    echo "error: python3-alembic $debver is not in $suite any more: update PINS in $0" >&2
    exit 1
  }
  deb="$apt_dir/debs/python3-alembic_${debver}_all.deb"
  got=$(sha256sum "$deb" | cut -d' ' -f1)
  if [[ $got != "$sha" ]]; then
    echo "error: $deb has SHA256 $got, pinned $sha" >&2
    exit 1
  fi
  unpack="$apt_dir/unpack-$version"
  dpkg -x "$deb" "$unpack"
  rm -rf "$dest/$version"
  mv "$unpack/usr/lib/python3/dist-packages" "$dest/$version"
  echo "python3-alembic $debver $sha" >"$dest/$version/.from-deb"
  echo "fetch-alembic-versions: Alembic $version ($suite, $debver) in $dest/$version"
done
rm -rf "$apt_dir"
