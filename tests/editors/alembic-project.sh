#!/bin/sh
# A real Alembic project on SQLite for the editors' Alembic commands (Upgrade to here,
# Downgrade to here, Stamp, Show current revision), made by Debian's `alembic` as a user
# would: `alembic init migrations`, two revisions, and a second ini section [reports]
# (`alembic init reports` + its own script_location and database) with one revision, which
# Alembic reaches only with `-n reports`.
#   tests/editors/alembic-project.sh DIR
# Prints one line per revision: NAME ID FILE (names: first, second, report).
set -eu
dir=$1
command -v alembic >/dev/null 2>&1 || {
  echo "FAIL: alembic not found on PATH; run tests/editors/install-deps.sh (Debian's alembic)" >&2
  exit 1
}
mkdir -p "$dir"
cd "$dir"
alembic init migrations >/dev/null
sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///shop.db|' alembic.ini
# `alembic init` writes no alembic.ini when one exists: the section is added by hand.
alembic init reports >/dev/null
printf '\n[reports]\nscript_location = reports\nsqlalchemy.url = sqlite:///reports.db\n' >>alembic.ini
revision() { # NAME ARGS...: runs `alembic ARGS...` and prints NAME ID FILE
  name=$1
  shift
  file=$(alembic "$@" | sed -n 's/.*Generating \(.*\.py\) .*/\1/p')
  # `revision = '...'` (Alembic 1.8) or `revision: str = '...'` (typed template, 1.11+).
  id=$(sed -n "s/^revision\(: str\)\{0,1\} = '\([0-9a-f]*\)'.*/\2/p" "$file")
  [ -n "$id" ] || { echo "FAIL: no revision id in '$file'" >&2; exit 1; }
  echo "$name $id $file"
}
revision first revision -m "create users"
revision second revision -m "add email"
revision report -n reports revision -m "create reports"
