# Shared by the by-hand portable scripts (bare_roots.sh, deb_install.sh): bare Debian
# minbase roots made once by debootstrap from the mirror this machine's apt uses, and
# commands run in them through chroot. Sourced; the caller sets $tag (its name, for
# messages) and $roots (where the roots are kept).

fail() { echo "${tag:-portable}: FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || fail "$1 is missing: install $2 (scripts/setup.sh --static)"; }
need_root() { [[ $(id -u) -eq 0 ]] || fail "debootstrap and chroot need root"; }

# The Debian mirror this machine's apt uses (deb822 .sources or one-line sources.list),
# skipping the security archive, which holds no full suites.
mirror() {
  local uri
  uri=$( { sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n'
           sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' \
             /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
         } | grep -v -- '-security' | grep -v '^$' | head -n 1)
  [[ -n $uri ]] || fail "no Debian mirror found in /etc/apt/sources.list{,.d}"
  echo "$uri"
}

# The minbase root of a suite at $roots/SUITE, made once and reused afterwards.
make_root() {
  local suite=$1 dir=$roots/$1
  if [[ ! -f $dir/.made-by-bare-roots ]]; then
    rm -rf "$dir"
    mkdir -p "$roots"
    echo "$tag: debootstrap --variant=minbase $suite (once; reused afterwards)"
    debootstrap --variant=minbase "$suite" "$dir" "$(mirror)" >"$roots/$suite.log" 2>&1 ||
      fail "debootstrap $suite failed: see $roots/$suite.log"
    touch "$dir/.made-by-bare-roots"
  fi
}

# Runs a command in the root; prints its output; returns its exit code.
# A clean environment, as a fresh login on that machine would have.
chroot_bin=$(command -v chroot || echo /usr/sbin/chroot)
in_root() { local dir=$1; shift; env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$chroot_bin" "$dir" "$@"; }
