"""A small LSP client for the benchmark, single-threaded so that timestamps are taken as
bytes arrive, and readings of the server process (CPU time, memory)."""

import json
import os
import select
import subprocess
import time
from pathlib import Path
from urllib.parse import quote


def proc_status(pid, field):
    """A /proc/PID/status field in MB (VmRSS, VmHWM), or None."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def cpu_ns(pid):
    """CPU time of every thread of PID so far, in ns (schedstat), else from /proc/PID/stat."""
    total = 0
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
        if total:
            return total
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def process_cpu_s(pid):
    """User + system CPU seconds of a live process, threads that have exited included."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def percentile(values, p):
    s = sorted(values)
    if not s:
        return None
    k = (len(s) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


# --- a small LSP client, single-threaded so that timestamps are taken as bytes arrive ----

def path_to_uri(path):
    return "file://" + quote(str(Path(path).resolve()))


class Server:
    def __init__(self, argv, stderr_path):
        self.stderr = open(stderr_path, "wb")
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                     bufsize=0)
        self.fd = self.proc.stdout.fileno()
        self.buf = b""
        self.next_id = 1
        self.pending = []  # (timestamp, message) read but not yet consumed
        self.on_request = None  # f(timestamp, message) answers a server request; default _answer

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return rid

    def notify(self, method, params):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def _parse(self, now):
        out = []
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return out
            length = None
            for line in self.buf[:end].split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if length is None:
                raise RuntimeError("frame without Content-Length: %r" % self.buf[:end])
            if len(self.buf) < end + 4 + length:
                return out
            body = self.buf[end + 4:end + 4 + length]
            self.buf = self.buf[end + 4 + length:]
            out.append((now, json.loads(body)))

    def next_message(self, timeout):
        """(arrival time, message), answering server requests on the way; None on timeout."""
        deadline = time.perf_counter() + timeout
        while True:
            while self.pending:
                ts, msg = self.pending.pop(0)
                if "method" in msg and "id" in msg:
                    (self.on_request or (lambda _ts, m: self._answer(m)))(ts, msg)
                    continue
                return ts, msg
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.fd, 1 << 20)
            now = time.perf_counter()
            if not chunk:
                raise RuntimeError("server exited (rc %s)" % self.proc.poll())
            self.buf += chunk
            self.pending.extend(self._parse(now))

    def _answer(self, msg):
        result = None
        if msg["method"] == "workspace/configuration":
            result = [None for _ in msg["params"].get("items", [])]
        elif msg["method"] == "workspace/applyEdit":
            result = {"applied": False}
        self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    def wait_response(self, rid, timeout, on_other=None):
        while True:
            got = self.next_message(timeout)
            if got is None:
                raise TimeoutError("no response to request %d" % rid)
            ts, msg = got
            if msg.get("id") == rid and "method" not in msg:
                if "error" in msg:
                    raise RuntimeError("request %d failed: %s" % (rid, msg["error"]))
                return ts, msg
            if on_other:
                on_other(ts, msg)

    def stop(self):
        try:
            rid = self.request("shutdown", None)
            self.wait_response(rid, 30)
            self.notify("exit", None)
            self.proc.stdin.close()
            self.proc.wait(30)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()
