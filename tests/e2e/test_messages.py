"""Diagnostics a person reads at a glance (issue 18, part 3).

Over every bundled example and a fixed set of generated broken histories
(tests/parity/gen_broken.py: every error finding, alone and combined) plus generated
valid graphs with several heads and branch labels (gen_graphs.py), `check --format json`
gives each finding a first sentence (`summary`) under 100 characters that ends a sentence,
and no sentence of a finding's message says the same thing twice. The text report prints
that first sentence alone; --verbose adds the long form. Every code's rule page is linked
(SARIF helpUri, LSP codeDescription.href) to a page that exists, in the build tree and in
an installed tree (`cmake --install`).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path
from urllib.parse import urlparse

from cli_support import BINARY, SOURCE_DIR, run
from lsp_client import WINDOWS_URIS, LspClient, uri_to_path

sys.path.insert(0, str(SOURCE_DIR / "tests" / "parity"))
import gen_broken  # noqa: E402
import gen_graphs  # noqa: E402

MAX_FIRST = 100
BROKEN_CASES = 40   # seed 3: every kind of break occurs, alone and combined
GRAPH_CASES = 20
CODES_SEEN = set()

# A sentence ends at . ? or ! followed by a space and a capital, a quote or a backquote.
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z`'\"(])")


def sentences(text):
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def page_of(href):
    """The file a file:// href names."""
    url = urlparse(href)
    assert url.scheme == "file", href
    return Path(uri_to_path(href))


# Where the binary under test finds the rule pages: the source tree's, from the ordinary
# build tree. scripts/test-windows.sh names another: alembic-lsp.exe is a static build
# (no build-tree lookup, as the release binaries), run with the pages beside it as the
# Windows .zip lays them out (rules\ next to alembic-lsp.exe).
RULES = Path(os.environ.get("ALEMBIC_LSP_EXPECTED_RULES", SOURCE_DIR / "docs" / "rules"))


class FirstSentences(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-messages-"))
        cls.projects = [SOURCE_DIR / "examples" / "clean", SOURCE_DIR / "examples" / "tangled"]
        for i in range(BROKEN_CASES):
            root = cls.tmp / ("broken_%02d" % i)
            gen_broken.build_broken(gen_graphs.graph_seed(3, i), str(root))
            cls.projects.append(root)
        for i in range(GRAPH_CASES):
            graph, rng = gen_graphs.generate_graph(gen_graphs.graph_seed(5, i))
            root = cls.tmp / ("graph_%02d" % i)
            gen_graphs.write_project(graph, rng, str(root))
            cls.projects.append(root)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check_json(self, project):
        r = run(["check", "--format", "json", "--no-history", str(project)])
        self.assertIn(r.returncode, (0, 1), r.stderr)
        return [d for env in json.loads(r.stdout)["environments"] for d in env["diagnostics"]]

    def test_first_sentence_is_short_and_nothing_is_said_twice(self):
        count = 0
        for project in self.projects:
            for d in self.check_json(project):
                count += 1
                CODES_SEEN.add(d["code"])
                where = "%s %s:%s %s" % (project.name, d["path"], d["line"], d["code"])
                first = d["summary"]
                self.assertLess(len(first), MAX_FIRST, "%s: %r" % (where, first))
                self.assertRegex(first, r"[.?!]$", where)
                self.assertTrue(d["message"].startswith(first), where)
                said = [s.lower().rstrip(".") for s in sentences(d["message"])]
                self.assertEqual(len(said), len(set(said)), "%s says a sentence twice: %r"
                                 % (where, d["message"]))
        self.assertGreater(count, 100)
        # The inputs cover the codes a migration history yields (config and I/O problems
        # are covered by the unit and layout tests).
        for code in ("multiple-heads", "missing-revision", "duplicate-revision",
                     "revision-cycle", "branch-label-conflict", "invalid-revision-id",
                     "missing-down-revision", "not-a-migration", "empty-down-revision",
                     "unexpected-base", "header-mismatch", "syntax-error"):
            self.assertIn(code, CODES_SEEN)

    def test_text_prints_the_first_sentence_and_verbose_the_long_form(self):
        tangled = SOURCE_DIR / "examples" / "tangled"
        short = run(["check", "--no-history", str(tangled)])
        verbose = run(["check", "--no-history", "--verbose", str(tangled)])
        self.assertEqual(short.returncode, 1, short.stderr)
        self.assertEqual(verbose.returncode, 1, verbose.stderr)
        heads = [line for line in short.stdout.splitlines() if line.endswith("[multiple-heads]")]
        self.assertGreater(len(heads), 5)
        for line in heads:
            message = line.split(": error: ", 1)[1]
            self.assertRegex(message, r"^Head \S+ is one of \d+ heads\. \[multiple-heads\]$")
        self.assertNotIn("Multiple head revisions are present", short.stdout)
        # The long form: consequence and fix indented under the first line, then at most
        # five other heads and "and N more heads".
        lines = verbose.stdout.splitlines()
        at = next(i for i, line in enumerate(lines) if line.endswith("[multiple-heads]"))
        self.assertIn("Multiple head revisions are present", lines[at + 1])
        self.assertTrue(lines[at + 1].startswith("    "))
        related = lines[at + 2:at + 8]
        self.assertTrue(all(": other head " in line for line in related[:5]), related)
        self.assertRegex(related[5], r": and \d+ more heads$")

    def test_explain_prints_the_rule_page_and_names_the_codes_when_unknown(self):
        page = (SOURCE_DIR / "docs" / "rules" / "multiple-heads.md").read_text()
        r = run(["check", "--explain", "multiple-heads"])
        self.assertEqual((r.returncode, r.stdout), (0, page))
        r = run(["check", "--format", "text", "--explain", "syntax-error"])
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stdout, (SOURCE_DIR / "docs" / "rules" / "syntax-error.md").read_text())
        r = run(["check", "--explain", "multiple-head"])
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertIn("unknown finding code 'multiple-head'", r.stderr)
        for code in ("multiple-heads", "missing-revision", "config-warning"):
            self.assertIn("\n  " + code + " ", r.stderr)


def sarif_help_uris(binary, project, env=None, extra=()):
    r = subprocess.run([binary, "check", "--format", "sarif", *extra, str(project)],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode in (0, 1), r.stderr
    rules = json.loads(r.stdout)["runs"][0]["tool"]["driver"]["rules"]
    return {rule["id"]: rule.get("helpUri") for rule in rules}


class RulePageLinks(unittest.TestCase):
    def test_every_code_links_an_existing_page_from_the_build_tree(self):
        uris = sarif_help_uris(BINARY, SOURCE_DIR / "examples" / "clean")
        self.assertEqual(len(uris), len(list((SOURCE_DIR / "docs" / "rules").glob("*.md"))))
        for code, href in uris.items():
            self.assertIsNotNone(href, code)
            self.assertEqual(page_of(href), RULES / (code + ".md"))
            self.assertTrue(page_of(href).is_file(), href)

    def test_a_base_url_replaces_the_file_links(self):
        uris = sarif_help_uris(BINARY, SOURCE_DIR / "examples" / "clean",
                               extra=["--rules-url", "https://docs.example/rules"])
        self.assertEqual(uris["multiple-heads"], "https://docs.example/rules/multiple-heads.md")
        env = dict(os.environ, ALEMBIC_LSP_RULES_URL="https://mirror.example/r/")
        uris = sarif_help_uris(BINARY, SOURCE_DIR / "examples" / "clean", env=env)
        self.assertEqual(uris["syntax-error"], "https://mirror.example/r/syntax-error.md")

    @unittest.skipIf(WINDOWS_URIS, "installs the build tree of ALEMBIC_LSP_BINARY with cmake, which "
                     "under wine is a wrapper script; the .exe's own layout (rules\\ beside it, as in "
                     "the Windows .zip) is what the other tests of this class run with")
    def test_installed_binary_links_the_installed_pages(self):
        build = Path(BINARY).resolve().parents[1]
        prefix = Path(tempfile.mkdtemp(prefix="alembic-lsp-install-"))
        try:
            r = subprocess.run(["cmake", "--install", str(build), "--prefix", str(prefix)],
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            rules = prefix / "share" / "doc" / "alembic-lsp" / "rules"
            self.assertTrue((rules / "multiple-heads.md").is_file(), list(prefix.rglob("*"))[:20])
            uris = sarif_help_uris(str(prefix / "bin" / "alembic-lsp"),
                                   SOURCE_DIR / "examples" / "clean")
            for code, href in uris.items():
                self.assertEqual(page_of(href), rules / (code + ".md"))
                self.assertTrue(page_of(href).is_file(), href)
        finally:
            shutil.rmtree(prefix, ignore_errors=True)

    def test_every_diagnostic_of_the_server_links_its_page(self):
        tangled = SOURCE_DIR / "examples" / "tangled"
        probe = tangled / "migrations" / "versions" / "5e8f0a2b4c6d_add_order_discounts.py"
        client = LspClient()
        try:
            client.initialize(tangled)
            client.wait_diagnostics(probe, lambda ds: len(ds) > 0, timeout=60)
            # Every file's diagnostics, once the server has published as many as `check` finds.
            want = sum(len(env["diagnostics"]) for env in json.loads(
                run(["check", "--format", "json", "--no-history", str(tangled)]).stdout)["environments"])
            deadline = time.time() + 60
            while True:
                latest = {}
                with client.cond:
                    for n in client.notifications:
                        if n["method"] == "textDocument/publishDiagnostics":
                            latest[n["params"]["uri"]] = n["params"]["diagnostics"]
                if sum(len(ds) for ds in latest.values()) >= want or time.time() > deadline:
                    break
                time.sleep(0.2)
            client.shutdown()
        finally:
            client.kill()
        diagnostics = [d for ds in latest.values() for d in ds]
        self.assertGreater(len(diagnostics), 15)
        heads = 0
        for d in diagnostics:
            href = d["codeDescription"]["href"]
            self.assertEqual(page_of(href), RULES / (d["code"] + ".md"))
            self.assertTrue(page_of(href).is_file(), href)
            first = d["message"].split("\n")[0]
            self.assertLess(len(first), MAX_FIRST, d["message"])
            if d["code"] == "multiple-heads" and d["severity"] == 1:
                heads += 1
                related = d["relatedInformation"]
                self.assertEqual(len(related), 6, related)
                self.assertRegex(related[-1]["message"], r"^and \d+ more heads$")
        self.assertGreater(heads, 5)

if __name__ == "__main__":
    unittest.main()
