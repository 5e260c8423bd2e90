"""Prints the alembic_version rows of a SQLite database (comma-separated; nothing when the
database or the table does not exist yet): what `alembic upgrade` etc. left behind."""
import os
import sqlite3
import sys

path = sys.argv[1]
rows = []
if os.path.exists(path):
    try:
        rows = [r[0] for r in sqlite3.connect(path).execute("select version_num from alembic_version")]
    except sqlite3.OperationalError:
        rows = []
print(",".join(sorted(rows)))
