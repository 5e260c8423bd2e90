#!/usr/bin/env python3
"""Benchmarks alembic-lsp against Alembic itself on synthetic projects.

One command: `bench/run.py` (1,000 and 10,000 migrations) or `bench/run.py --full`
(adds 100,000). For each size it measures, side by side:

  cat      the floor: `find versions -name '*.py' -print0 | xargs -0 cat >/dev/null`
  check    `alembic-lsp check PROJECT` (cold process, page cache warm, as in CI)
  alembic  `/usr/bin/python3 -m alembic heads` (Alembic's own .pyc warm: one untimed run first)
  server   the language server over stdio: initialize -> the first publishDiagnostics
           and -> diagnostics on both head files (the project gets a second head for
           this part), then didChange latency of one file whose down_revision flips
           between its parent and None (one more base and head, then back), measured
           client-side from the write of didChange to the last publishDiagnostics it
           causes; the server's CPU time per edit (all its threads, from
           /proc/PID/task/*/schedstat); peak RSS (VmHWM) and RSS after the first 100
           edits and after the last one.

Prints a table, compares with the project's targets and writes JSON results
(default: build-bench/results.json, outside git).
"""

import argparse
import datetime
import json
import os
import platform
import select
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import gen_project  # noqa: E402

ALEMBIC = ["/usr/bin/python3", "-m", "alembic"]

CAPABILITIES = {  # what VS Code announces, trimmed to what this server reads
    "general": {"positionEncodings": ["utf-16"]},
    "workspace": {
        "applyEdit": True,
        "workspaceEdit": {"documentChanges": True, "resourceOperations": ["create", "rename", "delete"]},
        "didChangeWatchedFiles": {"dynamicRegistration": True, "relativePatternSupport": True},
        "workspaceFolders": True,
        "configuration": True,
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": True, "didSave": True},
        "publishDiagnostics": {"relatedInformation": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
    },
    "window": {"workDoneProgress": True},
}


# --- measuring processes ------------------------------------------------------------------

def timed_run(argv, cwd=None, shell=False):
    """Runs a command to completion: wall and CPU seconds, max RSS (MB), rc, output tails.
    CPU and RSS come from wait4(), so they cover the command and its reaped children."""
    import tempfile
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, shell=shell, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024.0,
                "rc": proc.returncode, "stdout": out.read().decode(errors="replace")[-4000:],
                "stderr": err.read().decode(errors="replace")[-4000:]}


def measured(argv, runs, cwd=None, shell=False):
    """`runs` timed runs: median and first wall time, median CPU time, peak RSS."""
    results = [timed_run(argv, cwd=cwd, shell=shell) for _ in range(runs)]
    walls = [r["wall"] for r in results]
    return {
        "median": statistics.median(walls),
        "first": walls[0],
        "runs": walls,
        "cpu_median": statistics.median(r["cpu"] for r in results),
        "maxrss_mb": max(r["maxrss_mb"] for r in results),
        "rc": results[-1]["rc"],
        "stdout": results[-1]["stdout"][-2000:],
        "stderr": results[-1]["stderr"][-2000:],
    }


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
                    self._answer(msg)
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


# --- the server scenario -----------------------------------------------------------------

def make_second_head(manifest):
    """Retargets one revision from its parent to its grandparent: the parent becomes a head.
    Returns the original text, to restore."""
    b = manifest["branch"]
    path = Path(b["path"])
    original = path.read_text()
    text = original.replace("Revises: %s\n" % b["parent"], "Revises: %s\n" % b["grandparent"], 1)
    text = text.replace("= '%s'\n" % b["parent"], "= '%s'\n" % b["grandparent"], 1)
    if text == original:
        raise RuntimeError("cannot retarget %s" % path)
    path.write_text(text)
    return original


def edit_range(text, parent):
    """(line, start character, end character) of the quoted parent in the down_revision line."""
    quoted = "'%s'" % parent
    for n, line in enumerate(text.split("\n")):
        if line.startswith("down_revision") and line.rstrip().endswith(quoted):
            start = line.rindex(quoted)
            return n, start, start + len(quoted)
    raise RuntimeError("no down_revision line with %s" % quoted)


def run_server(binary, project, manifest, edits, latency_edits, body_edits, log_dir, timeout, perf=None,
               wrapper=()):
    out = {}
    head_uris = {path_to_uri(manifest["head_paths"][0]), path_to_uri(manifest["branch"]["parent_path"])}
    original = make_second_head(manifest)
    server = None
    try:
        server = Server([*wrapper, binary, "serve", "--log-file", str(log_dir / "server.log"), "--log-level", "info"],
                        log_dir / "server.stderr")
        pid = server.proc.pid
        seen = {"first_diag": None, "indexed": None, "heads": set(), "heads_done": None}

        def observe(ts, msg):
            method = msg.get("method")
            if method == "window/logMessage" and "indexed" in msg["params"].get("message", ""):
                seen["indexed"] = ts
                out["indexed_message"] = msg["params"]["message"]
            elif method == "textDocument/publishDiagnostics":
                if seen["first_diag"] is None:
                    seen["first_diag"] = ts
                if msg["params"]["uri"] in head_uris and msg["params"]["diagnostics"]:
                    seen["heads"].add(msg["params"]["uri"])
                    if seen["heads"] == head_uris and seen["heads_done"] is None:
                        seen["heads_done"] = ts

        t0 = time.perf_counter()
        rid = server.request("initialize", {
            "processId": os.getpid(), "clientInfo": {"name": "alembic-lsp-bench", "version": "1"},
            "rootUri": path_to_uri(project), "capabilities": CAPABILITIES,
            "workspaceFolders": [{"uri": path_to_uri(project), "name": Path(project).name}]})
        ts, _ = server.wait_response(rid, timeout, observe)
        out["initialize_response_s"] = ts - t0
        server.notify("initialized", {})
        while seen["heads_done"] is None or seen["indexed"] is None:
            got = server.next_message(timeout)
            if got is None:
                raise TimeoutError("no diagnostics on both heads after %ss" % timeout)
            observe(*got)
        out["indexed_s"] = seen["indexed"] - t0
        out["first_diagnostics_s"] = seen["first_diag"] - t0
        out["head_diagnostics_s"] = seen["heads_done"] - t0
        out["cpu_to_diagnostics_s"] = process_cpu_s(pid)
        out["rss_after_index_mb"] = proc_status(pid, "VmRSS")
        out["hwm_after_index_mb"] = proc_status(pid, "VmHWM")

        # Open the file to edit; a hover round trip makes sure didOpen was handled.
        e = manifest["edit"]
        uri = path_to_uri(e["path"])
        text = Path(e["path"]).read_text()
        line, start, end = edit_range(text, e["parent"])
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python",
                                                                "version": 1, "text": text}})
        server.wait_response(server.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": start + 1}}), timeout)
        while server.next_message(0.2) is not None:
            pass

        states = [("None", end), ("'%s'" % e["parent"], start + 4)]  # (new text, old end)

        def send_edit(k):
            new_text, old_end = states[k % 2]
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": k + 2},
                "contentChanges": [{"range": {"start": {"line": line, "character": start},
                                              "end": {"line": line, "character": old_end}},
                                    "text": new_text}]})

        # Calibration: which files get diagnostics published after each kind of edit.
        expected = []
        for k in range(2):
            send_edit(k)
            uris = set()
            while True:
                got = server.next_message(0.5 if uris else timeout)
                if got is None:
                    break
                if got[1].get("method") == "textDocument/publishDiagnostics":
                    uris.add(got[1]["params"]["uri"])
            if not uris:
                raise RuntimeError("edit %d published no diagnostics" % k)
            expected.append(uris)
        out["published_per_edit"] = [len(u) for u in expected]

        first, last, cpu = [], [], []
        rss_100 = None
        recorder = None
        if perf:
            # Sampling slows the server: latencies taken with --perf are not for reporting.
            recorder = subprocess.Popen(["perf", "record", "-F", "2000", "--call-graph", "dwarf,16384", "-p", str(pid),
                                         "-o", str(perf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1.0)
        cpu_before = cpu_ns(pid)
        t_edits = time.perf_counter()
        for k in range(2, 2 + edits):
            want = set(expected[k % 2])
            t_send = time.perf_counter()
            send_edit(k)
            t_first = None
            while want:
                got = server.next_message(timeout)
                if got is None:
                    raise TimeoutError("edit %d: no diagnostics for %s" % (k, sorted(want)[:3]))
                ts, msg = got
                if msg.get("method") == "textDocument/publishDiagnostics":
                    if t_first is None:
                        t_first = ts
                    want.discard(msg["params"]["uri"])
            first.append(t_first - t_send)
            last.append(ts - t_send)
            now_cpu = cpu_ns(pid)
            if cpu_before is not None and now_cpu is not None:
                cpu.append(now_cpu - cpu_before)
            cpu_before = now_cpu
            if k + 1 == 100:  # the two calibration edits included
                rss_100 = proc_status(pid, "VmRSS")
        out["edit_wall_s"] = time.perf_counter() - t_edits
        out["rss_after_all_edits_mb"] = proc_status(pid, "VmRSS")
        version = 2 + edits + 2

        # Typing in upgrade(): nothing about the graph changes and nothing is published, so a
        # request the server does not know (answered in order, on the loop thread) marks the
        # moment the didChange before it was handled.
        body_line = text.split("\n").index("    # ### commands auto generated by Alembic - please adjust! ###")
        body_char = len("    # ### commands auto generated by Alembic - please adjust! ###")
        body = []
        for k in range(body_edits):
            change = ({"range": {"start": {"line": body_line, "character": body_char},
                                 "end": {"line": body_line, "character": body_char}}, "text": "x"}
                      if k % 2 == 0 else
                      {"range": {"start": {"line": body_line, "character": body_char},
                                 "end": {"line": body_line, "character": body_char + 1}}, "text": ""})
            t_send = time.perf_counter()
            server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [change]})
            version += 1
            rid = server.request("alembic-bench/barrier", {})
            while True:
                got = server.next_message(timeout)
                if got is None:
                    raise TimeoutError("no answer to the barrier request")
                if got[1].get("id") == rid and "method" not in got[1]:
                    body.append(got[0] - t_send)
                    break
        if body:
            out["body_edits"] = len(body)
            out["body_p50_ms"] = percentile(body, 50) * 1000.0
            out["body_p99_ms"] = percentile(body, 99) * 1000.0
        if recorder:
            recorder.send_signal(2)
            recorder.wait(120)
            out["perf_data"] = str(perf)
        out["rss_after_100_edits_mb"] = rss_100
        out["rss_after_body_edits_mb"] = proc_status(pid, "VmRSS")
        out["peak_rss_mb"] = proc_status(pid, "VmHWM")
        out["edits"] = edits
        lat = last[:latency_edits]
        ms = lambda v: None if v is None else v * 1000.0  # noqa: E731
        out["edit_latency_edits"] = len(lat)
        out["edit_p50_ms"] = ms(percentile(lat, 50))
        out["edit_p99_ms"] = ms(percentile(lat, 99))
        out["edit_max_ms"] = ms(max(lat))
        out["edit_first_publish_p50_ms"] = ms(percentile(first[:latency_edits], 50))
        out["edit_all_p50_ms"] = ms(percentile(last, 50))
        out["edit_all_p99_ms"] = ms(percentile(last, 99))
        if cpu:
            # The CPU time of the reading of the next one's bytes is in there too; it is tiny.
            out["server_cpu_per_edit_p50_ms"] = percentile(cpu[:latency_edits], 50) / 1e6
            out["server_cpu_per_edit_p99_ms"] = percentile(cpu[:latency_edits], 99) / 1e6
        server.stop()
        server = None
    finally:
        if server is not None:
            server.proc.kill()
            server.proc.wait()
        Path(manifest["branch"]["path"]).write_text(original)
    return out


# --- driver -------------------------------------------------------------------------------

def ensure_project(workdir, count, seed, regen):
    project = workdir / ("project-%d" % count)
    manifest_path = project / "bench-manifest.json"
    stamp = _generator_stamp()
    if not regen and manifest_path.exists():
        m = json.loads(manifest_path.read_text())
        if m.get("count") == count and m.get("seed") == seed and m.get("generator") == stamp:
            return project, m
    t = time.perf_counter()
    m = gen_project.generate(count, project, seed)
    m["generator"] = stamp
    manifest_path.write_text(json.dumps(m, indent=2) + "\n")
    print("  generated %s in %.1fs (%.1f MB)" % (project, time.perf_counter() - t, m["bytes"] / 1e6), flush=True)
    return project, m


def _generator_stamp():
    import hashlib
    return hashlib.sha1((HERE / "gen_project.py").read_bytes()).hexdigest()[:12]


def machine():
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    def git(*a):
        try:
            return subprocess.run(["git", "-C", str(REPO), *a], capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "git_head": git("rev-parse", "--short", "HEAD"),
            "git_dirty_files": len([l for l in git("status", "--porcelain", "--untracked-files=no").splitlines() if l]),
            "python": platform.python_version(), "date": datetime.datetime.now().isoformat(timespec="seconds")}


def warm_up_alembic(workdir, seed):
    """One untimed `alembic heads` on a small project: Alembic's own modules get compiled
    (and cached) without paying for a large project twice."""
    project, _ = ensure_project(workdir, 60, seed, False)
    r = timed_run(ALEMBIC + ["-c", str(project / "alembic.ini"), "heads"], cwd=project)
    if r["rc"] != 0:
        raise SystemExit("alembic heads failed (is python3-alembic installed?):\n" + r["stderr"][-3000:])


def bench_size(args, count):
    row = {"count": count, "load_before": os.getloadavg()}
    project, m = ensure_project(Path(args.workdir), count, args.seed, args.regen)
    row["bytes"] = m["bytes"]
    versions = project / "migrations" / "versions"

    if not args.skip_check:
        print("  cat floor", flush=True)
        row["cat"] = measured("find '%s' -name '*.py' -print0 | xargs -0 cat > /dev/null" % versions,
                              args.runs, shell=True)
        print("  alembic-lsp check", flush=True)
        row["check"] = measured([args.binary, "check", str(project)], args.runs)
        if row["check"]["rc"] != 0:
            raise SystemExit("check exited %d on a single-head project:\n%s%s" % (
                row["check"]["rc"], row["check"]["stdout"], row["check"]["stderr"]))
        if not args.skip_alembic:
            runs = args.alembic_runs or (1 if count >= 100000 else args.runs)
            print("  alembic heads (%d runs)" % runs, flush=True)
            warm_up_alembic(Path(args.workdir), args.seed)
            heads_cmd = ALEMBIC + ["-c", str(project / "alembic.ini"), "heads"]
            row["alembic"] = measured(heads_cmd, runs, cwd=project)
            if row["alembic"]["rc"] != 0:
                raise SystemExit("alembic heads failed:\n" + row["alembic"]["stderr"][-3000:])
            got = row["alembic"]["stdout"].split()
            if not got or got[0] != m["heads"][0]:
                raise SystemExit("alembic heads printed %r, expected %s" % (row["alembic"]["stdout"], m["heads"]))
    if not args.skip_server:
        edits = args.edits if args.edits else (200 if count >= 100000 else 10000)
        edits += edits % 2  # an even number leaves the file as it was
        print("  server (%d edits)" % edits, flush=True)
        log_dir = Path(args.workdir) / ("logs-%d" % count)
        log_dir.mkdir(parents=True, exist_ok=True)
        perf = log_dir / "perf-edits.data" if args.perf_edits else None
        body_edits = args.body_edits if args.body_edits >= 0 else (200 if count >= 100000 else 1000)
        row["server"] = run_server(args.binary, project, m, edits, args.latency_edits, body_edits, log_dir,
                                   args.timeout, perf, shlex.split(args.server_wrapper))
    row["load_after"] = os.getloadavg()
    return row


TARGETS = [
    # (size, label, value getter, target, "lt"/"ge", unit)
    (10000, "check vs alembic heads", lambda r: r["alembic"]["median"] / r["check"]["median"], 30, "ge", "x faster"),
    (10000, "check vs cat floor", lambda r: r["check"]["median"] / r["cat"]["median"], 3, "le", "x the floor"),
    (10000, "edit p50", lambda r: r["server"]["edit_p50_ms"], 2, "le", "ms"),
    (10000, "edit p99", lambda r: r["server"]["edit_p99_ms"], 10, "le", "ms"),
    (100000, "check", lambda r: r["check"]["median"], 3, "le", "s"),
    (100000, "server first diagnostics", lambda r: r["server"]["head_diagnostics_s"], 4, "le", "s"),
    (100000, "server peak RSS", lambda r: r["server"]["peak_rss_mb"], 400, "le", "MB"),
]


def evaluate(rows):
    verdicts = []
    for size, label, get, target, op, unit in TARGETS:
        row = next((r for r in rows if r["count"] == size), None)
        if row is None:
            continue
        try:
            value = get(row)
        except (KeyError, TypeError, ZeroDivisionError):
            continue
        ok = value >= target if op == "ge" else value <= target
        margin = value / target if op == "ge" else target / value
        verdicts.append({"size": size, "target": "%s %s %g %s" % (label, ">=" if op == "ge" else "<=", target, unit),
                         "value": value, "unit": unit, "met": ok, "margin": margin})
    return verdicts


def fmt(v, spec="%.3f"):
    return "-" if v is None else spec % v


def print_table(rows, verdicts):
    print()
    head = ["", *["%d" % r["count"] for r in rows]]
    lines = []

    def add(label, get, spec="%.3f"):
        vals = []
        for r in rows:
            try:
                vals.append(fmt(get(r), spec))
            except (KeyError, TypeError):
                vals.append("-")
        lines.append([label, *vals])

    add("project MB", lambda r: r["bytes"] / 1e6, "%.1f")
    add("cat floor s (median)", lambda r: r["cat"]["median"])
    add("check s (median of runs)", lambda r: r["check"]["median"])
    add("check s (first run)", lambda r: r["check"]["first"])
    add("check CPU s (user+sys)", lambda r: r["check"]["cpu_median"])
    add("check max RSS MB", lambda r: r["check"]["maxrss_mb"], "%.1f")
    add("alembic heads s (median)", lambda r: r["alembic"]["median"])
    add("alembic heads CPU s", lambda r: r["alembic"]["cpu_median"])
    add("check speed-up vs alembic", lambda r: r["alembic"]["median"] / r["check"]["median"], "%.1fx")
    add("check / cat floor", lambda r: r["check"]["median"] / r["cat"]["median"], "%.2fx")
    add("server: initialize reply s", lambda r: r["server"]["initialize_response_s"])
    add("server: 'indexed' log s", lambda r: r["server"]["indexed_s"])
    add("server: first diagnostics s", lambda r: r["server"]["first_diagnostics_s"])
    add("server: both heads' diags s", lambda r: r["server"]["head_diagnostics_s"])
    add("server: CPU s until then", lambda r: r["server"]["cpu_to_diagnostics_s"], "%.2f")
    add("edit p50 ms (client)", lambda r: r["server"]["edit_p50_ms"], "%.2f")
    add("edit p99 ms (client)", lambda r: r["server"]["edit_p99_ms"], "%.2f")
    add("edit max ms (client)", lambda r: r["server"]["edit_max_ms"], "%.2f")
    add("edit p50/p99 ms, all edits", lambda r: (r["server"]["edit_all_p50_ms"], r["server"]["edit_all_p99_ms"]), "%.2f/%.2f")
    add("keystroke in body p50 ms", lambda r: r["server"]["body_p50_ms"], "%.2f")
    add("keystroke in body p99 ms", lambda r: r["server"]["body_p99_ms"], "%.2f")
    add("server CPU/edit p50 ms", lambda r: r["server"]["server_cpu_per_edit_p50_ms"], "%.2f")
    add("server CPU/edit p99 ms", lambda r: r["server"]["server_cpu_per_edit_p99_ms"], "%.2f")
    add("edits (latency over first)", lambda r: (r["server"]["edits"], r["server"]["edit_latency_edits"]), "%d (%d)")
    add("RSS after index MB", lambda r: r["server"]["rss_after_index_mb"], "%.1f")
    add("RSS after 100 edits MB", lambda r: r["server"]["rss_after_100_edits_mb"], "%.1f")
    add("RSS after all edits MB", lambda r: r["server"]["rss_after_all_edits_mb"], "%.1f")
    add("server peak RSS MB", lambda r: r["server"]["peak_rss_mb"], "%.1f")
    add("load avg before/after", lambda r: (r["load_before"][0], r["load_after"][0]), "%.1f/%.1f")
    widths = [max(len(str(x[i])) for x in [head] + lines) for i in range(len(head))]
    for line in [head] + lines:
        print("  ".join(str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(line)))
    if verdicts:
        print()
        for v in verdicts:
            print("%-6s %6d  %-45s %10.3f %-12s margin %.2fx" % (
                "MET" if v["met"] else "MISSED", v["size"], v["target"], v["value"], v["unit"], v["margin"]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated migration counts")
    ap.add_argument("--full", action="store_true", help="add 100,000 migrations")
    ap.add_argument("--binary", default=str(REPO / "build-bench" / "server" / "alembic-lsp"))
    ap.add_argument("--workdir", default="/tmp/alembic-lsp-bench", help="where projects and logs go")
    ap.add_argument("--out", default=str(REPO / "build-bench" / "results.json"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    ap.add_argument("--edits", type=int, default=0,
                    help="didChange edits (default 10,000; 200 at 100,000 migrations)")
    ap.add_argument("--alembic-runs", type=int, default=0,
                    help="timed alembic heads runs (default --runs; 1 at 100,000 migrations)")
    ap.add_argument("--latency-edits", type=int, default=1000, help="edits the latency figures cover")
    ap.add_argument("--body-edits", type=int, default=-1,
                    help="keystrokes in upgrade() (no graph change), timed with a request barrier "
                         "(default 1,000; 200 at 100,000 migrations)")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--regen", action="store_true", help="regenerate projects even if present")
    ap.add_argument("--label", default="", help="free text saved with the results (e.g. which commit built the binary)")
    ap.add_argument("--skip-alembic", action="store_true")
    ap.add_argument("--skip-server", action="store_true")
    ap.add_argument("--server-wrapper", default="",
                    help="command the server runs under, e.g. \"valgrind --tool=callgrind "
                         "--toggle-collect='*register_text_sync*'\" (figures then are not for reporting)")
    ap.add_argument("--skip-check", action="store_true", help="skip cat, check and alembic (server only)")
    ap.add_argument("--perf-edits", action="store_true",
                    help="perf record the server during the edits (WORKDIR/logs-N/perf-edits.data; "
                         "latencies then include the sampling overhead)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.full and 100000 not in sizes:
        sizes.append(100000)
    if not os.access(args.binary, os.X_OK):
        ap.error("no binary at %s (build it: see bench/README.md)" % args.binary)

    info = machine()
    print("alembic-lsp bench: %s, %d cores (%s), load %.1f" % (args.binary, info["nproc"], info["cpu"],
                                                             os.getloadavg()[0]), flush=True)
    rows = []
    for count in sizes:
        print("%d migrations" % count, flush=True)
        rows.append(bench_size(args, count))
    verdicts = evaluate(rows)
    print_table(rows, verdicts)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": info, "binary": args.binary, "label": args.label, "results": rows,
                               "targets": verdicts},
                              indent=2) + "\n")
    print("\nwrote %s" % out)
    return 0 if all(v["met"] for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
