"""The server part of bench/run.py: one editor session per client profile
(client_profiles.py) on a generated project.

  1. initialize with the client's captured params, then initialized; timed to the
     `indexed` log message, the first publishDiagnostics and diagnostics on both heads
     (one revision is re-pointed at its grandparent first, so the project has two heads;
     restored afterwards).
  2. Open four migrations as an editor does (didOpen, then what the client requests for
     an open document): the file the history edit changes, the file typed into, and two
     revisions the edit re-points between.
  3. History edits through incremental didChange, each followed by the client's
     requests; server requests (workspace/codeLens/refresh, ...) answered as the client
     does, re-requests included. Two kinds (--edit-kind):
       rebase  the head's down_revision flips between its parent and a mid-history
               revision: a second head appears, then the two join again (what the
               "rebase onto the other head" quick fix and a person fixing a fork do)
       base    a mid-history revision's down_revision flips between its parent and None
     Per edit: latency from writing didChange to the last publishDiagnostics it causes
     (pull clients: to the answer of their textDocument/diagnostic), to the moment every
     request and re-request is answered ("settled"), and the server's CPU time.
  4. Keystrokes in upgrade(): typing and deleting one character in a comment, each
     followed by the client's requests (a request the server does not know when the
     client sends none), to the last answer.
"""

import os
import subprocess
import time
from pathlib import Path

from client_profiles import document_params
from lsp_client import Server, cpu_ns, path_to_uri, percentile, proc_status, process_cpu_s

REFRESHES = {
    "workspace/codeLens/refresh": "textDocument/codeLens",
    "workspace/inlayHint/refresh": "textDocument/inlayHint",
    "workspace/diagnostic/refresh": "textDocument/diagnostic",
}


class Editor:
    """The client side of a session: open documents, requests after changes, answers."""

    def __init__(self, server, profile):
        self.server = server
        self.profile = profile
        self.open = {}          # uri -> text as opened (for ranges)
        self.outstanding = {}   # request id -> (method, uri)
        self.result_ids = {}    # uri -> resultId of its last pulled diagnostics
        self.doc_requests = []  # set once the server's capabilities are known
        self.refreshes = 0
        self.answered = {}      # request id -> arrival time, for requests we wait on
        server.on_request = self._on_request

    def _on_request(self, ts, msg):
        method = msg["method"]
        if method in REFRESHES:
            self.server.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            self.refreshes += 1
            follow = REFRESHES[method]
            if follow in self.doc_requests:
                for uri in self.open:
                    self.ask(follow, uri)
            return
        if method in ("client/registerCapability", "client/unregisterCapability",
                      "window/workDoneProgress/create"):
            self.server.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            return
        self.server._answer(msg)

    def ask(self, method, uri):
        params = document_params(method, uri, self.open.get(uri))
        if method == "textDocument/diagnostic" and uri in self.result_ids:
            params["previousResultId"] = self.result_ids[uri]
        rid = self.server.request(method, params)
        self.outstanding[rid] = (method, uri)
        return rid

    def did_open(self, path):
        uri = path_to_uri(path)
        text = Path(path).read_text()
        self.open[uri] = text
        self.server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}})
        for m in self.doc_requests:
            self.ask(m, uri)
        return uri, text

    def after_change(self, uri):
        """The client's requests after a change of `uri`; a barrier when it sends none."""
        rids = [self.ask(m, uri) for m in self.doc_requests]
        if not rids:
            rid = self.server.request("alembic-bench/barrier", {})
            self.outstanding[rid] = ("barrier", uri)
            rids.append(rid)
        return rids

    def settle(self, want, timeout, diag_rid=None):
        """Reads until every uri in `want` had a publishDiagnostics and every request is
        answered. Returns (time of the diagnostics, time settled, published uris)."""
        want = set(want)
        t_diag = None
        published = set()
        last = None
        while want or self.outstanding:
            got = self.server.next_message(timeout)
            if got is None:
                raise TimeoutError("waiting for %s and %d answers" % (sorted(want)[:3], len(self.outstanding)))
            ts, msg = got
            last = ts
            if msg.get("method") == "textDocument/publishDiagnostics":
                uri = msg["params"]["uri"]
                published.add(uri)
                if uri in want:
                    want.discard(uri)
                    if not want and diag_rid is None:
                        t_diag = ts
            elif "id" in msg and "method" not in msg and msg["id"] in self.outstanding:
                method, uri = self.outstanding.pop(msg["id"])
                if method == "textDocument/diagnostic" and isinstance(msg.get("result"), dict):
                    rid = msg["result"].get("resultId")
                    if rid:
                        self.result_ids[uri] = rid
                if msg["id"] == diag_rid:
                    t_diag = ts
        return t_diag if t_diag is not None else last, last, published

    def drain(self, quiet):
        """Reads (answering requests) until nothing arrives for `quiet` seconds."""
        published = set()
        while True:
            got = self.server.next_message(quiet)
            if got is None:
                return published
            ts, msg = got
            if msg.get("method") == "textDocument/publishDiagnostics":
                published.add(msg["params"]["uri"])
            elif "id" in msg and msg["id"] in self.outstanding:
                self.outstanding.pop(msg["id"])


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


def down_revision_range(text):
    """(line, start, end, value) of the quoted down_revision value."""
    for n, line in enumerate(text.split("\n")):
        if line.startswith("down_revision") and line.rstrip().endswith("'"):
            end = len(line.rstrip())
            start = line.rindex("'", 0, end - 1)
            return n, start, end, line[start + 1:end - 1]
    raise RuntimeError("no down_revision line with a string")


def edit_plan(manifest, kind):
    """(path to edit, [(new text, old end) alternating], line, start) for the edit kind."""
    if kind == "rebase":
        path = manifest["head_paths"][0]
        line, start, end, parent = down_revision_range(Path(path).read_text())
        other = manifest["edit"]["parent"]  # a mid-history revision
        if len(other) != len(parent):
            raise RuntimeError("rebase edit needs ids of one length")
        return path, [("'%s'" % other, end), ("'%s'" % parent, end)], line, start
    path = manifest["edit"]["path"]
    line, start, end, parent = down_revision_range(Path(path).read_text())
    if parent != manifest["edit"]["parent"]:
        raise RuntimeError("%s: down_revision is %s, not %s" % (path, parent, manifest["edit"]["parent"]))
    return path, [("None", end), ("'%s'" % parent, start + 4)], line, start


def summarize(out, lat, settled, cpu, latency_edits):
    ms = lambda v: None if v is None else v * 1000.0  # noqa: E731
    lat_l, set_l = lat[:latency_edits], settled[:latency_edits]
    out["edit_latency_edits"] = len(lat_l)
    out["edit_p50_ms"] = ms(percentile(lat_l, 50))
    out["edit_p99_ms"] = ms(percentile(lat_l, 99))
    out["edit_max_ms"] = ms(max(lat_l)) if lat_l else None
    out["edit_settled_p50_ms"] = ms(percentile(set_l, 50))
    out["edit_settled_p99_ms"] = ms(percentile(set_l, 99))
    out["edit_all_p50_ms"] = ms(percentile(lat, 50))
    out["edit_all_p99_ms"] = ms(percentile(lat, 99))
    if cpu:
        out["server_cpu_per_edit_p50_ms"] = percentile(cpu[:latency_edits], 50) / 1e6
        out["server_cpu_per_edit_p99_ms"] = percentile(cpu[:latency_edits], 99) / 1e6


def run_server(binary, project, manifest, profile, edits, latency_edits, body_edits, log_dir, timeout,
               edit_kind="rebase", perf=None, wrapper=(), rss_checkpoints=()):
    out = {"profile": profile.name, "client": profile.summary(), "edit_kind": edit_kind}
    head_uris = {path_to_uri(manifest["head_paths"][0]), path_to_uri(manifest["branch"]["parent_path"])}
    original = make_second_head(manifest)
    server = None
    try:
        server = Server([*wrapper, binary, "serve", "--log-file", str(log_dir / "server.log"), "--log-level", "info"],
                        log_dir / "server.stderr")
        editor = Editor(server, profile)
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
        rid = server.request("initialize", profile.initialize(path_to_uri(project), Path(project).name, os.getpid()))
        ts, reply = server.wait_response(rid, timeout, observe)
        server_caps = reply["result"]["capabilities"]
        editor.doc_requests = profile.requests_after_change(server_caps)
        out["requests_after_change"] = editor.doc_requests
        out["initialize_response_s"] = ts - t0
        server.notify("initialized", {})
        if profile.pull:
            # Nothing is pushed: the first index is done when the log says so; the
            # heads' diagnostics are pulled once it is.
            while seen["indexed"] is None:
                got = server.next_message(timeout)
                if got is None:
                    raise TimeoutError("no 'indexed' message after %ss" % timeout)
                observe(*got)
            for uri in head_uris:
                editor.open.setdefault(uri, "")
                editor.ask("textDocument/diagnostic", uri)
            editor.settle(set(), timeout)
            seen["first_diag"] = seen["heads_done"] = time.perf_counter()
            for uri in head_uris:
                editor.open.pop(uri)
        else:
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

        # Open the files as an editor does.
        path, states, line, start = edit_plan(manifest, edit_kind)
        e = manifest["edit"]
        docs = [path, e["path"], e["parent_path"], manifest["branch"]["parent_path"]]
        uri = None
        body_uri = body_text = None
        for p in dict.fromkeys(docs):
            u, t = editor.did_open(p)
            if p == path:
                uri = u
            if p == e["path"]:
                body_uri, body_text = u, t
        editor.settle(set(), timeout)
        editor.drain(0.3)
        versions = {u: 1 for u in editor.open}

        def change(u, change_range, text):
            versions[u] += 1
            server.notify("textDocument/didChange", {
                "textDocument": {"uri": u, "version": versions[u]},
                "contentChanges": [{"range": change_range, "text": text}]})

        def send_edit(k):
            new_text, old_end = states[k % 2]
            change(uri, {"start": {"line": line, "character": start},
                         "end": {"line": line, "character": old_end}}, new_text)
            rids = editor.after_change(uri)
            diag = [r for r in rids if editor.outstanding[r][0] == "textDocument/diagnostic"]
            return diag[0] if diag else None

        # Calibration: which files get diagnostics published after each kind of edit. The
        # publishes the edit causes come at once; branch-conflict is computed once the
        # server has been quiet 250 ms (server/branch_conflict_lint.h) and is not part of
        # an edit's answer: 0.2 s of silence ends the wait before it. Its cost is measured
        # by bench/branch_conflict_idle.py.
        expected = []
        for k in range(2):
            diag_rid = send_edit(k)
            _, _, published = editor.settle(set(), timeout, diag_rid)
            published |= editor.drain(0.2)
            if not published and not profile.pull:
                raise RuntimeError("edit %d published no diagnostics" % k)
            expected.append(published)
        out["published_per_edit"] = [len(u) for u in expected]

        lat, settled, cpu = [], [], []
        rss_100 = None
        checkpoints = {}
        recorder = None
        if perf:
            recorder = subprocess.Popen(["perf", "record", "-F", "2000", "--call-graph", "dwarf,16384", "-p", str(pid),
                                         "-o", str(perf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1.0)
        refreshes_before = editor.refreshes
        cpu_before = cpu_ns(pid)
        t_edits = time.perf_counter()
        for k in range(2, 2 + edits):
            t_send = time.perf_counter()
            diag_rid = send_edit(k)
            t_diag, t_done, _ = editor.settle(expected[k % 2], timeout, diag_rid)
            lat.append(t_diag - t_send)
            settled.append(t_done - t_send)
            now_cpu = cpu_ns(pid)
            if cpu_before is not None and now_cpu is not None:
                cpu.append(now_cpu - cpu_before)
            cpu_before = now_cpu
            if k + 1 == 100:  # the two calibration edits included
                rss_100 = proc_status(pid, "VmRSS")
            if k - 1 in rss_checkpoints:  # after this many timed edits
                checkpoints[k - 1] = proc_status(pid, "VmRSS")
        out["edit_wall_s"] = time.perf_counter() - t_edits
        out["refreshes_per_edit"] = (editor.refreshes - refreshes_before) / max(edits, 1)
        out["rss_after_all_edits_mb"] = proc_status(pid, "VmRSS")
        out["rss_after_100_edits_mb"] = rss_100
        out["rss_checkpoints_mb"] = checkpoints

        # Typing in upgrade(): nothing about the graph changes and nothing is published.
        marker = "    # ### commands auto generated by Alembic - please adjust! ###"
        body_line = body_text.split("\n").index(marker)
        body_char = len(marker)
        body = []
        for k in range(body_edits):
            t_send = time.perf_counter()
            if k % 2 == 0:
                r = {"start": {"line": body_line, "character": body_char},
                     "end": {"line": body_line, "character": body_char}}
                change(body_uri, r, "x")
            else:
                r = {"start": {"line": body_line, "character": body_char},
                     "end": {"line": body_line, "character": body_char + 1}}
                change(body_uri, r, "")
            editor.after_change(body_uri)
            _, t_done, _ = editor.settle(set(), timeout)
            body.append(t_done - t_send)
        if body:
            out["body_edits"] = len(body)
            out["body_p50_ms"] = percentile(body, 50) * 1000.0
            out["body_p99_ms"] = percentile(body, 99) * 1000.0
        if recorder:
            recorder.send_signal(2)
            recorder.wait(120)
            out["perf_data"] = str(perf)
        out["rss_after_body_edits_mb"] = proc_status(pid, "VmRSS")
        out["peak_rss_mb"] = proc_status(pid, "VmHWM")
        out["edits"] = edits
        out["raw"] = {"edit": lat, "settled": settled, "cpu_ns": cpu, "body": body}
        summarize(out, lat, settled, cpu, latency_edits)
        server.stop()
        server = None
    finally:
        if server is not None:
            server.proc.kill()
            server.proc.wait()
        Path(manifest["branch"]["path"]).write_text(original)
    return out
