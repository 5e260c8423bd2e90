#!/usr/bin/env bash
# Tests alembic-lsp.exe under wine (Debian's wine64), with Windows-form paths and URIs:
#   scripts/test-windows.sh [--git-standin] [E2E_MODULE ...]   (default: every e2e module but two)
# 1. CLI: `check` of examples/ given as "Z:\...\examples\NAME" (wine's drive Z: is "/"),
#    as JSON, must equal the Linux binary's report (paths compared with '/' for '\');
#    the same with every file converted to CRLF line ends; exit codes 0 (clean) and 1.
# 2. The e2e LSP tests (tests/e2e) against the .exe, the client writing URIs as VS Code
#    does on Windows ("file:///z%3A/tmp/..."): tests/windows/alembic-lsp-wine.sh is their
#    ALEMBIC_LSP_BINARY, ALEMBIC_LSP_WINDOWS_URIS=1 switches lsp_client.py's URIs.
# 3. Git: Git for Windows is not on this machine (Debian packages only), so by default the
#    .exe runs with no git.exe on wine's PATH and the tests assert the answers git gives
#    are absent (cleanly). --git-standin (or ALEMBIC_LSP_WINE_GIT=standin) builds
#    tests/windows/git-standin.c into a git.exe on wine's PATH (WINEPATH, this run only):
#    a STAND-IN for Git for Windows that runs Debian's /usr/bin/git behind wine. It proves
#    the .exe's side (finding git.exe, CreateProcessW, pipes, exit codes, parsing git's
#    answers), not Git for Windows itself; the tests then run their git cases.
# Needs: scripts/build-windows.sh done (or it runs it), wine64, a Linux build in build/
# (LINUX_BINARY=...) for the comparison. Writes the summary to build-windows-x64/test-windows.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
exe=$root/build-windows-x64/server/alembic-lsp.exe
linux=${LINUX_BINARY:-$root/build/server/alembic-lsp}
wine=${WINE:-/usr/lib/wine/wine64}
summary=$root/build-windows-x64/test-windows.txt
die() { echo "test-windows: $*" >&2; exit 2; }
git_mode=${ALEMBIC_LSP_WINE_GIT:-none}
if [[ ${1:-} == --git-standin ]]; then git_mode=standin; shift; fi
[[ $git_mode == none || $git_mode == standin ]] ||
  die "ALEMBIC_LSP_WINE_GIT=$git_mode: none or standin"

[[ -x $wine ]] || die "no $wine: apt-get install wine64"
[[ -f $exe ]] || scripts/build-windows.sh || die "scripts/build-windows.sh failed"
[[ -x $linux ]] || die "no Linux binary at $linux (scripts/build.sh, or set LINUX_BINARY)"

# The prefix is initialised once, here, before any test: wine creates (wineboot --init) or
# updates (when wine's own files are newer than the prefix) a prefix on the first program it
# starts, which takes a minute; done mid-run it made tests time out on `initialize`. No
# Mono / Gecko installers (mscoree, mshtml off): nothing here needs them.
export WINEPREFIX=${WINEPREFIX:-$root/build-windows-x64/wine} WINEDEBUG=-all
export WINEDLLOVERRIDES=mscoree,mshtml=
wineserver=/usr/lib/wine/wineserver
mkdir -p "$WINEPREFIX"
"$wineserver" -k 2>/dev/null  # a server left from an earlier run (not persistent: exits soon)
"$wine" wineboot --init >/dev/null 2>&1 || die "wineboot --init failed in $WINEPREFIX"
"$wineserver" -w  # until wineboot and everything it started have ended
[[ -f $WINEPREFIX/system.reg && -f $WINEPREFIX/.update-timestamp ]] ||
  die "wine did not initialise $WINEPREFIX"
prefix_stamp=$(stat -c %Y "$WINEPREFIX/.update-timestamp")
# One server for the whole run (the e2e tests start hundreds of wine processes); ended at exit.
"$wineserver" -p

failures=0
report() { echo "$*" | tee -a "$summary"; }
: >"$summary"
report "alembic-lsp.exe under $("$wine" --version 2>/dev/null), $(date -u +%Y-%m-%dT%H:%MZ)"

work=$(mktemp -d)
trap 'rm -rf "$work"; "$wineserver" -k 2>/dev/null' EXIT
# The run tests a copy: a rebuild while it runs does not change the .exe under test. The
# rule pages beside it, as the Windows .zip has them (a static build has no build-tree
# lookup); test_messages expects its links there.
mkdir "$work/exe"
cp "$exe" "$work/exe/alembic-lsp.exe"
cp -r docs/rules "$work/exe/rules"
exe=$work/exe/alembic-lsp.exe
# Git: none on wine's PATH, or the stand-in (see 3. above), on WINEPATH for this run only.
export ALEMBIC_LSP_WINE_GIT=$git_mode
unset WINEPATH
if [[ $git_mode == standin ]]; then
  mkdir "$work/git"
  x86_64-w64-mingw32-gcc-posix -O2 -Wall -Wextra -Werror -static -o "$work/git/git.exe" \
    tests/windows/git-standin.c -lshell32 || die "cannot build tests/windows/git-standin.c"
  export WINEPATH="Z:$(echo "$work/git" | tr / '\\')"
  report "git: STAND-IN git.exe (Debian's /usr/bin/git behind wine, tests/windows/git-standin.c)"
else
  report "git: none on wine's PATH (Git for Windows is not on this machine)"
fi
cp -r examples "$work/lf"
cp -r examples "$work/crlf"
find "$work/crlf" -type f \( -name '*.py' -o -name '*.ini' -o -name '*.mako' -o -name '*.txt' \) \
  -exec sed -i 's/$/\r/' {} +

# JSON with '\' in strings read as '/' and wine's "Z:/" as "/" (the report's paths), for
# comparing with Linux's.
normalise() { python3 -c 'import json,re,sys
def fix(v):
    if isinstance(v, str): return re.sub(r"(?<![A-Za-z])Z:/", "/", v.replace("\\", "/"))
    if isinstance(v, list): return [fix(x) for x in v]
    if isinstance(v, dict): return {k: fix(x) for k, x in v.items()}
    return v
print(json.dumps(fix(json.load(sys.stdin)), indent=1, sort_keys=True))'; }

for name in clean tangled; do
  for form in lf crlf; do
    dir=$work/$form
    expected_rc=0; [[ $name == tangled ]] && expected_rc=1
    (cd "$dir" && "$linux" check "$name" --no-history --format json) >"$work/linux.json"
    linux_rc=$?
    # A Windows-form absolute path to the project, as a Windows user types it.
    winpath="Z:$(echo "$dir/$name" | tr / '\\')"
    (cd "$dir" && "$wine" "$exe" check "$winpath" --no-history --format json) >"$work/exe.json" 2>"$work/exe.err"
    exe_rc=$?
    # Linux was given a relative path: give its report the same absolute form.
    (cd "$dir" && "$linux" check "$dir/$name" --no-history --format json) >"$work/linux-abs.json"
    if [[ $exe_rc -eq $expected_rc && $linux_rc -eq $expected_rc ]] &&
       diff <(normalise <"$work/linux-abs.json") <(normalise <"$work/exe.json") >"$work/diff"; then
      report "PASS check $name ($form): exit $exe_rc, JSON report equal to Linux's"
    else
      failures=$((failures + 1))
      report "FAIL check $name ($form): exit $exe_rc (Linux $linux_rc, expected $expected_rc)"
      head -20 "$work/diff" "$work/exe.err" | tee -a "$summary"
    fi
  done
done

# The e2e modules that start the server over stdio (default set; others may be named).
# Default: every e2e module but the two about Linux packages (test_licence reads the .deb's
# copyright file, test_man_page the installed man page).
modules=("$@")
if [[ ${#modules[@]} -eq 0 ]]; then
  for f in tests/e2e/test_*.py; do
    m=$(basename "$f" .py)
    [[ $m == test_licence || $m == test_man_page ]] || modules+=("$m")
  done
fi
# Alembic 1.13.2 and 1.18.4 for the parity tests, as ctest gives them (its fixture fetches
# them into the Linux build tree: scripts/fetch-alembic-versions.sh).
versions=${ALEMBIC_LSP_ALEMBIC_VERSIONS:-$(dirname "$linux")/../alembic-versions}
for module in "${modules[@]}"; do
  log=$work/$module.log
  started=$SECONDS
  (cd tests/e2e && ALEMBIC_LSP_EXE="$exe" ALEMBIC_LSP_BINARY="$root/tests/windows/alembic-lsp-wine.sh" \
     ALEMBIC_LSP_WINDOWS_URIS=1 ALEMBIC_SOURCE_DIR="$root" PYTHONDONTWRITEBYTECODE=1 \
     ALEMBIC_LSP_EXPECTED_RULES="$work/exe/rules" \
     ALEMBIC_LSP_ALEMBIC_VERSIONS="$versions" ALEMBIC_LSP_ALEMBIC_1_18="$versions/1.18.4" \
     timeout 1800 python3 -m unittest "$module") >"$log" 2>&1
  rc=$?
  result=$(grep -E '^(OK|FAILED)' "$log" | tail -1)
  ran=$(grep -E '^Ran ' "$log" | tail -1)
  if [[ $rc -eq 0 ]]; then
    report "PASS e2e $module: $ran $result ($((SECONDS - started)) s)"
  else
    failures=$((failures + 1))
    report "FAIL e2e $module: $ran $result (rc $rc, $((SECONDS - started)) s)"
    grep -E '^(FAIL|ERROR):' "$log" | head -15 | tee -a "$summary"
    cp "$log" "$root/build-windows-x64/$module.log"
  fi
done
# Wine rewrites .update-timestamp when it re-initialises the prefix: that must not happen
# during the run.
[[ $(stat -c %Y "$WINEPREFIX/.update-timestamp") == "$prefix_stamp" ]] ||
  { failures=$((failures + 1)); report "FAIL wine re-initialised $WINEPREFIX during the run"; }
report "failures: $failures"
[[ $failures -eq 0 ]]
