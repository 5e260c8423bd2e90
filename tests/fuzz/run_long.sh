#!/bin/sh
# A long libFuzzer run of one target.
#
#   tests/fuzz/run_long.sh TARGET SECONDS [libFuzzer options...]
#
# TARGET is framing, position, parser, ini, pyproject or mako. Needs the `fuzz` preset
# built first:  cmake --preset fuzz && cmake --build build-fuzz --target fuzz_targets
#
# The run works on a copy of the seed corpus (tests/fuzz/corpus/TARGET is never written
# to), in $FUZZ_WORK (default build-fuzz/fuzz-work/TARGET): corpus/ grows with new
# coverage, artifacts/ receives crash-*, leak-*, timeout-* and oom-* inputs. Replay one
# with:  build-fuzz/tests/fuzz/fuzz_TARGET artifacts/crash-...
# A fixed reproducer belongs in tests/fuzz/corpus/TARGET/ so ctest replays it.
# Exit status: 0 when nothing was found, 1 otherwise.
set -eu

if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET SECONDS [libFuzzer options...]" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
build_dir=${FUZZ_BUILD_DIR:-$source_dir/build-fuzz}
binary=$build_dir/tests/fuzz/fuzz_$target
seeds=$here/corpus/$target
work=${FUZZ_WORK:-$build_dir/fuzz-work/$target}

if [ ! -x "$binary" ]; then
  echo "no $binary: cmake --preset fuzz && cmake --build build-fuzz --target fuzz_targets" >&2
  exit 2
fi
if [ ! -d "$seeds" ]; then
  echo "no seed corpus $seeds" >&2
  exit 2
fi

mkdir -p "$work/corpus" "$work/artifacts"
cp -n "$seeds"/* "$work/corpus/" 2>/dev/null || true

dict=
if [ -f "$here/dict/$target.dict" ]; then dict="-dict=$here/dict/$target.dict"; fi

# Inputs big enough for a real migration or message; a second per input is already a bug.
case $target in
  framing|parser|mako) max_len=16384 ;;
  *) max_len=4096 ;;
esac

log=$work/run-$(date +%Y%m%d-%H%M%S).log
echo "fuzz_$target for ${seconds}s; corpus $work/corpus; log $log"
start=$(date +%s)
status=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=$max_len \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" $dict "$@" "$work/corpus" >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
# libFuzzer's last status line: coverage (cov), features (ft), corpus units, length limit.
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed 's/^#[0-9]*[[:space:]]*[A-Z]*[[:space:]]*//')
found=$(find "$work/artifacts" -type f | wc -l)
corpus=$(find "$work/corpus" -type f | wc -l)
echo "fuzz_$target: ${elapsed}s, ${execs:-?} execs, corpus $corpus files, $found artifact(s), exit $status"
echo "last status: ${last:-?}"
if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
  grep -E "ERROR|fuzz check failed|runtime error|SUMMARY|Test unit written" "$log" | head -n 20 >&2 || true
  exit 1
fi
