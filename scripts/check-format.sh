#!/usr/bin/env bash
# Checks that every C++ source in the repository is formatted by Debian's clang-format-14 with
# the repository's .clang-format. --fix rewrites the files in place instead.
# Exit status: 0 formatted, 1 files need formatting (listed), 2 clang-format-14 missing.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${CLANG_FORMAT:-clang-format-14}
if ! command -v "$tool" >/dev/null; then
  echo "check-format: $tool not found; install Debian's clang-format-14 (scripts/setup.sh --tests)" >&2
  exit 2
fi
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if ((${#files[@]} == 0)); then
  echo "check-format: no C++ sources found (run inside the git checkout)" >&2
  exit 2
fi
if [[ "${1:-}" == --fix ]]; then
  "$tool" -i --style=file "${files[@]}"
  echo "check-format: formatted ${#files[@]} files"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  "$tool" --style=file --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  printf 'check-format: %d of %d files are not formatted (fix: scripts/check-format.sh --fix):\n' \
    "${#bad[@]}" "${#files[@]}" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
