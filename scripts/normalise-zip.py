#!/usr/bin/env python3
"""Rewrites a zip archive (a .vsix) so that the same contents give the same bytes:
every entry stamped with SOURCE_DATE_EPOCH (default: 1980-01-01), entries in name order
after the ones named with --first (kept in the given order), deflated at level 9, the
permissions of the original entries kept. The contents are not changed.

  scripts/normalise-zip.py [--first NAME]... ARCHIVE

vsce stamps the entries it writes from memory (the manifest, [Content_Types].xml,
package.json) with the packaging time and the rest with the files' mtimes: release.sh runs
this on every .vsix."""

import argparse
import os
import sys
import time
import zipfile
from pathlib import Path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first", action="append", default=[])
    parser.add_argument("archive", type=Path)
    args = parser.parse_args()
    stamp = max(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), 315532800)
    date_time = time.gmtime(stamp)[:6]

    try:
        with zipfile.ZipFile(args.archive) as source:
            entries = [(info, source.read(info)) for info in source.infolist()]
    except (OSError, zipfile.BadZipFile) as error:
        sys.exit(f"normalise-zip: cannot read {args.archive}: {error}")
    names = [info.filename for info, _ in entries]
    if len(set(names)) != len(names):
        sys.exit(f"normalise-zip: {args.archive} names an entry twice")
    rank = {name: i for i, name in enumerate(args.first)}
    entries.sort(key=lambda e: (rank.get(e[0].filename, len(rank)), e[0].filename))

    temporary = args.archive.with_name(args.archive.name + ".normalising")
    with zipfile.ZipFile(temporary, "w") as target:
        for old, data in entries:
            info = zipfile.ZipInfo(old.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            mode = (old.external_attr >> 16) & 0o777 or 0o644
            kind = 0o040000 if old.is_dir() else 0o100000
            info.external_attr = (kind | mode) << 16
            target.writestr(info, data, compresslevel=9)
    temporary.replace(args.archive)


if __name__ == "__main__":
    main()
