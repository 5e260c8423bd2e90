#!/usr/bin/env python3
"""Stands between an editor and alembic-lsp: saves the params of the first message the
editor sends (its `initialize` request) to a file, then passes every byte on, both ways
unchanged.

    record_initialize.py OUT.json -- alembic-lsp serve [args...]

The editor is configured to start this script instead of the server (see capture.sh).
Only the first message is read by the script itself; after that the server reads its
stdin directly, so nothing but that message goes through Python.
"""
import json
import os
import subprocess
import sys


def read_exact(fd, n):
    out = b""
    while len(out) < n:
        chunk = os.read(fd, n - len(out))
        if not chunk:
            raise SystemExit("record_initialize: stdin closed before the first message ended")
        out += chunk
    return out


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        raise SystemExit("usage: record_initialize.py OUT.json -- SERVER [ARGS...]")
    out_path, server = sys.argv[1], sys.argv[3:]
    header = b""
    while not header.endswith(b"\r\n\r\n"):  # byte by byte: read nothing past the header
        header += read_exact(0, 1)
    length = None
    for line in header.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        raise SystemExit("record_initialize: first message has no Content-Length")
    body = read_exact(0, length)
    message = json.loads(body)
    if message.get("method") != "initialize":
        raise SystemExit("record_initialize: first message is %r, not initialize" % message.get("method"))
    tmp = out_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(message["params"], f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, out_path)
    # The server gets the message first, then the rest of our stdin, which it inherits.
    proc = subprocess.Popen(server, stdin=subprocess.PIPE)
    proc.stdin.write(header + body)
    proc.stdin.flush()
    # Forward the rest byte-exact until the editor closes its end.
    try:
        while True:
            chunk = os.read(0, 1 << 16)
            if not chunk:
                break
            proc.stdin.write(chunk)
            proc.stdin.flush()
    except (BrokenPipeError, OSError):
        pass
    try:
        proc.stdin.close()
    except OSError:
        pass
    sys.exit(proc.wait())


if __name__ == "__main__":
    main()
