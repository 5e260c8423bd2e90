"""Client profiles for bench/run.py: what real editors announce in `initialize` and what
they ask for after each change.

A profile is one file bench/clients/<name>.json holding the `initialize` params a real
editor sent, captured with bench/clients/capture.sh (Neovim, Emacs + Eglot) or by the
real-VS-Code tests (VS Code through code-server): see bench/clients/README.md. Every
file there is a profile; the benchmark replaces only what names the project (rootUri,
rootPath, workspaceFolders) and the process id, and keeps the capabilities,
initializationOptions and clientInfo as captured.

What an editor requests after each change is read off the same capabilities: for each
open document, textDocument/codeLens when the client announces codeLens, inlayHint when
it announces inlayHint, semanticTokens when both sides do (this server has none), and
textDocument/diagnostic when the client pulls (below). Server requests are answered as
those clients do: workspace/codeLens/refresh and workspace/inlayHint/refresh get null
and the lenses / hints of every open document are requested again;
workspace/diagnostic/refresh gets null and every open document's diagnostics are pulled
again; configuration gets one null per item; registrations and progress tokens are
accepted.

The pull variant of a profile ("<name>+pull") is the same capture with
initializationOptions.pullDiagnostics = true, the server's documented opt-in (README,
"Pull diagnostics"): offered only for clients whose capture announces
textDocument.diagnostic, i.e. clients that can pull.
"""

import copy
import json
from pathlib import Path

CLIENTS = Path(__file__).resolve().parent / "clients"


def _get(d, *keys):
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


class Profile:
    def __init__(self, name, params, pull=False):
        self.name = name
        self.params = params
        self.pull = pull
        caps = params.get("capabilities") or {}
        td = caps.get("textDocument") or {}
        self.code_lens = "codeLens" in td
        self.inlay_hint = "inlayHint" in td
        self.semantic_tokens = "semanticTokens" in td
        self.pull_capable = "diagnostic" in td
        self.refresh = {
            "workspace/codeLens/refresh": bool(_get(caps, "workspace", "codeLens", "refreshSupport")),
            "workspace/inlayHint/refresh": bool(_get(caps, "workspace", "inlayHint", "refreshSupport")),
            "workspace/diagnostic/refresh": bool(_get(caps, "workspace", "diagnostics", "refreshSupport")),
        }

    def initialize(self, project_uri, project_name, pid):
        p = copy.deepcopy(self.params)
        p["processId"] = pid
        p["rootUri"] = project_uri
        if "rootPath" in p:
            p["rootPath"] = project_uri[len("file://"):]
        p["workspaceFolders"] = [{"uri": project_uri, "name": project_name}]
        if self.pull:
            opts = p.get("initializationOptions")
            p["initializationOptions"] = dict(opts) if isinstance(opts, dict) else {}
            p["initializationOptions"]["pullDiagnostics"] = True
        return p

    def requests_after_change(self, server_caps):
        """The document requests this client sends for an open document after a change."""
        out = []
        if self.code_lens and "codeLensProvider" in server_caps:
            out.append("textDocument/codeLens")
        if self.inlay_hint and "inlayHintProvider" in server_caps:
            out.append("textDocument/inlayHint")
        if self.semantic_tokens and "semanticTokensProvider" in server_caps:
            out.append("textDocument/semanticTokens/full")
        if self.pull and "diagnosticProvider" in server_caps:
            out.append("textDocument/diagnostic")
        return out

    def summary(self):
        info = self.params.get("clientInfo")
        if not info:
            return "%s (sends no clientInfo)" % self.name
        return "%s (%s %s)" % (self.name, info.get("name", "?"), info.get("version", "?"))


def load_profiles(names=None):
    """Every captured profile (and the pull variants), or those named."""
    found = []
    for path in sorted(CLIENTS.glob("*.json")):
        params = json.loads(path.read_text())
        base = Profile(path.stem, params)
        found.append(base)
        if base.pull_capable:
            found.append(Profile(path.stem + "+pull", params, pull=True))
    if names:
        by_name = {p.name: p for p in found}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise SystemExit("no client profile %s in %s (have: %s)" % (
                ", ".join(missing), CLIENTS, ", ".join(sorted(by_name))))
        return [by_name[n] for n in names]
    return found


def document_params(method, uri, text=None):
    """Params of a document request over the whole document."""
    doc = {"textDocument": {"uri": uri}}
    if method == "textDocument/inlayHint":
        lines = (text or "").count("\n")
        doc["range"] = {"start": {"line": 0, "character": 0}, "end": {"line": lines + 1, "character": 0}}
    return doc
