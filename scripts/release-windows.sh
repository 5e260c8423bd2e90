#!/usr/bin/env bash
# The win32-x64 release artifacts, added to dist/ (next to what scripts/release.sh writes):
#   alembic-lsp-VERSION-win32-x64.exe     the server and CLI, statically linked
#   alembic-lsp-VERSION-win32-x64.zip     alembic-lsp.exe + rules/ (the pages diagnostics
#                                         link to) + LICENSE + README.md
#   alembic-lsp-VERSION-win32-x64.vsix    VS Code "for win32-x64", alembic-lsp.exe inside
#   alembic_lsp-VERSION-py3-none-win_amd64.whl   pip/pipx/uv: alembic-lsp.exe into Scripts\
#   SHA256SUMS                            rewritten over everything in dist/
#   scripts/release-windows.sh [--skip-build]   (--skip-build: reuse dist-windows/alembic-lsp.exe)
# Needs what scripts/build-windows.sh needs, plus npm for the extension (as release.sh).
# Reproducible like release.sh: SOURCE_DATE_EPOCH defaults to the last commit's time; the
# .zip is written with fixed times and name order, the .vsix normalised after vsce.
# Never removes dist/ or anything in it but the files it writes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
export TZ=UTC LC_ALL=C.UTF-8
die() { echo "release-windows: $*" >&2; exit 1; }
version=$(sed -n 's/^project(alembic-lsp VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[[ -n $version ]] || die "no version in CMakeLists.txt"

[[ ${1:-} == --skip-build ]] || scripts/build-windows.sh
exe=dist-windows/alembic-lsp.exe
[[ -f $exe ]] || die "no $exe (scripts/build-windows.sh)"

mkdir -p dist
name=alembic-lsp-$version-win32-x64
cp "$exe" "dist/$name.exe"
touch -d "@$SOURCE_DATE_EPOCH" "dist/$name.exe"

# The .zip: one top directory, as Windows users unpack it.
python3 - "$exe" "dist/$name.zip" "$name" <<'EOF'
import os, sys, time, zipfile
from pathlib import Path
exe, out, top = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
stamp = time.gmtime(max(int(os.environ["SOURCE_DATE_EPOCH"]), 315532800))[:6]
files = {f"{top}/alembic-lsp.exe": exe, f"{top}/LICENSE": Path("LICENSE"),
         f"{top}/README.md": Path("README.md")}
for page in sorted(Path("docs/rules").glob("*.md")):
    files[f"{top}/rules/{page.name}"] = page
with zipfile.ZipFile(out, "w") as z:
    for arcname in sorted(files):
        info = zipfile.ZipInfo(arcname, stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = (0o755 if arcname.endswith(".exe") else 0o644) << 16
        z.writestr(info, files[arcname].read_bytes(), compresslevel=9)
EOF

sh editors/vscode/scripts/package.sh --target win32-x64 "$exe" "$root/dist/$name.vsix" >/dev/null
python3 scripts/normalise-zip.py --first extension.vsixmanifest --first '[Content_Types].xml' \
  "dist/$name.vsix"

wheel=$(python3 scripts/build-wheel.py --binary "$exe" --arch win_amd64 --out dist)

(cd dist && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | sort |
  xargs -d '\n' sha256sum -- > SHA256SUMS)
echo "release-windows: dist/ (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
for f in "$name.exe" "$name.zip" "$name.vsix" "$(basename "$wheel")"; do
  printf '  %10s  %s\n' "$(stat -c %s "dist/$f")" "$f"
done
