"""Quick fixes for every finding, against the real binary on a copy of the tangled
example: each fix's title, preference and precise edit (quoting kept), the rebase beside
the merge, and a sequence of quick fixes that takes the tangled example to zero errors,
after which Debian's Alembic loads both environments (`alembic heads` / `alembic
history`) and agrees with `alembic-lsp check`."""

import copy
import json
import subprocess
import textwrap
import unittest
from pathlib import Path

from edit_support import alembic, alembic_heads, apply_and_tell, wait_indexed
from lsp_client import (BINARY, CLIENT_CAPABILITIES, LspClient, ServerTestCase, local_path,
                        path_to_uri, uri_to_path)

CAPABILITIES = copy.deepcopy(CLIENT_CAPABILITIES)
CAPABILITIES["workspace"]["workspaceEdit"]["changeAnnotationSupport"] = {"groupsOnLabel": True}

VERSIONS = Path("migrations/versions")


class QuickFixCase(ServerTestCase):
    capabilities = CAPABILITIES

    def setUp(self):
        super().setUp()
        self.versions = self.root / VERSIONS
        self.client.initialize(self.root, capabilities=self.capabilities)
        wait_indexed(self.client)

    def sync(self):
        """Every notification sent before now has been handled once this returns."""
        self.client.request("alembic/graph", {})

    def latest(self):
        """uri -> the diagnostics last published for it."""
        out = {}
        with self.client.cond:
            for n in self.client.notifications:
                if n["method"] == "textDocument/publishDiagnostics":
                    out[n["params"]["uri"]] = n["params"]["diagnostics"]
        return out

    def diagnostic(self, file, code):
        found = [d for d in self.client.diagnostics(self.versions / file) or [] if d["code"] == code]
        self.assertTrue(found, f"no {code} on {file}")
        return found[0]

    def fixes(self, path, diagnostic):
        return self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(path)}, "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}})

    def fix(self, file, code):
        path = self.versions / file
        return path, self.fixes(path, self.diagnostic(file, code))

    def edits_of(self, action, path):
        edit = action["edit"]
        for change in edit.get("documentChanges", []):
            if change.get("textDocument", {}).get("uri") == path_to_uri(path):
                return change["edits"]
        return edit.get("changes", {}).get(path_to_uri(path), [])

    def preferred(self, actions):
        chosen = [a for a in actions if a.get("isPreferred")]
        self.assertEqual(len(chosen), 1, [a["title"] for a in actions])
        return chosen[0]

    def apply(self, action):
        apply_and_tell(self.client, action["edit"])
        self.sync()


class EachFindingTest(QuickFixCase):
    def test_missing_revision_takes_the_suggestion_keeping_quotes(self):
        path, actions = self.fix("5e8f0a2b4c6d_add_order_discounts.py", "missing-revision")
        action = self.preferred(actions)
        self.assertEqual(action["title"], "Replace 'a1b2c3d4e5f6_add_orders' with 'a1b2c3d4e5f6'")
        self.assertEqual(action["kind"], "quickfix")
        self.assertEqual(action["diagnostics"][0]["code"], "missing-revision")
        [edit] = self.edits_of(action, path)
        self.assertEqual(edit["newText"], "a1b2c3d4e5f6", "only the text between the quotes")
        self.apply(action)
        self.assertIn("down_revision = 'a1b2c3d4e5f6'\n", path.read_text())
        codes = [d["code"] for d in self.client.diagnostics(path)]
        self.assertNotIn("missing-revision", codes)

    def test_missing_revision_without_a_match_offers_each_head(self):
        path = self.versions / "d8a0c2e4f6b1_add_payment_refunds.py"
        path.write_text(path.read_text().replace("'9f4e2d1c'", "'zzzz9999'"))
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(path), "type": 2}]})
        self.sync()
        _, actions = self.fix(path.name, "missing-revision")
        titles = [a["title"] for a in actions]
        self.assertGreater(len(titles), 1, titles)
        for t in titles:
            self.assertTrue(t.startswith("Point down_revision at head '"), t)
        self.assertFalse(any(a.get("isPreferred") for a in actions))
        # Never one of its own descendants (that would be a cycle).
        self.assertFalse(any("3a7c9e1b5d2f" in t for t in titles), titles)

    def test_missing_depends_on_can_be_removed(self):
        path = self.versions / "e6b1c8d2f7a3_add_customer_tax_id.py"
        path.write_text(path.read_text().replace(
            "depends_on = None", "depends_on = (\"9f4e2d1c0b8a\", 'nowhere1')"))
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(path), "type": 2}]})
        self.sync()
        _, actions = self.fix(path.name, "missing-revision")
        remove = next(a for a in actions if a["title"] == "Remove 'nowhere1' from depends_on")
        self.apply(remove)
        self.assertIn("depends_on = (\"9f4e2d1c0b8a\",)\n", path.read_text())
        self.assertNotIn("missing-revision",
                         [d["code"] for d in self.client.diagnostics(path) or []])

    def test_orphaned_merge_moves_depends_on_into_down_revision(self):
        path, actions = self.fix("c4d5e6f7a8b9_merge_due_date_and_tax_id.py", "unexpected-base")
        action = self.preferred(actions)
        self.assertEqual(action["title"], "Make this a merge of 7d3e9f1a2b4c, e6b1c8d2f7a3 "
                                          "(move them from depends_on to down_revision)")
        self.apply(action)
        text = path.read_text()
        self.assertIn("down_revision = ('7d3e9f1a2b4c', 'e6b1c8d2f7a3')\n", text)
        self.assertIn("depends_on = None\n", text)
        self.assertIn("Revises: 7d3e9f1a2b4c, e6b1c8d2f7a3\n", text)
        codes = [d["code"] for d in self.client.diagnostics(path) or []]
        self.assertNotIn("unexpected-base", codes)
        for head in ("7d3e9f1a2b4c_add_invoice_due_date.py", "e6b1c8d2f7a3_add_customer_tax_id.py"):
            self.assertNotIn("multiple-heads",
                             [d["code"] for d in self.client.diagnostics(self.versions / head) or []])

    def test_duplicate_gets_the_id_of_its_file_name(self):
        path, actions = self.fix("b9d1f3a5c7e0_add_refund_status.py", "duplicate-revision")
        action = self.preferred(actions)
        self.assertEqual(action["title"],
                         "Give this migration its own revision id 'b9d1f3a5c7e0' (from its file name)")
        self.apply(action)
        text = path.read_text()
        self.assertIn("revision = 'b9d1f3a5c7e0'\n", text)
        self.assertIn("Revision ID: b9d1f3a5c7e0\n", text)
        for file in (path, self.versions / "3a7c9e1b5d2f_add_refund_reason.py"):
            self.assertNotIn("duplicate-revision",
                             [d["code"] for d in self.client.diagnostics(file) or []])

    def test_duplicate_original_is_not_preferred(self):
        _, actions = self.fix("3a7c9e1b5d2f_add_refund_reason.py", "duplicate-revision")
        self.assertEqual(len(actions), 1)
        self.assertFalse(actions[0].get("isPreferred", False))
        self.assertRegex(actions[0]["title"], r"own revision id '[0-9a-f]{12}'")
        new_id = actions[0]["title"].split("'")[1]
        self.apply(actions[0])
        # Its file name started with the old id: it follows the new one.
        renamed = self.versions / f"{new_id}_add_refund_reason.py"
        self.assertFalse((self.versions / "3a7c9e1b5d2f_add_refund_reason.py").exists())
        text = renamed.read_text()
        self.assertIn(f"revision = '{new_id}'\n", text)
        self.assertIn(f"Revision ID: {new_id}\n", text)
        self.assertNotIn("duplicate-revision", [d["code"] for d in self.client.diagnostics(
            self.versions / "b9d1f3a5c7e0_add_refund_status.py") or []])

    def test_header_mismatch_rewrites_the_header(self):
        path, actions = self.fix("6a8c0e2f4b1d_add_currency_to_accounts.py", "header-mismatch")
        action = self.preferred(actions)
        self.assertEqual(action["title"], "Rewrite the docstring header from the code")
        [edit] = self.edits_of(action, path)
        self.assertEqual(edit["newText"], "2b6d8f0a1c3e")
        self.apply(action)
        self.assertIn("Revises: 2b6d8f0a1c3e\n", path.read_text())
        self.assertEqual([d for d in self.client.diagnostics(path) or []
                          if d["code"] == "header-mismatch"], [])

    def test_invalid_id_renamed_with_its_references(self):
        path, actions = self.fix("2023_11_02-add-tags.py", "invalid-revision-id")
        action = self.preferred(actions)
        self.assertEqual(action["title"],
                         "Rename revision '2023-11-02-add-tags' to '2023_11_02_add_tags'")
        self.apply(action)
        text = path.read_text()
        self.assertIn("revision = '2023_11_02_add_tags'\n", text)
        self.assertIn("Revision ID: 2023_11_02_add_tags\n", text)

    def test_misspelled_down_revision(self):
        path, actions = self.fix("c2e4a6b8d0f1_seed_currencies.py", "missing-down-revision")
        action = self.preferred(actions)
        self.assertEqual(action["title"], "Rename `down_revison` to `down_revision`")
        self.apply(action)
        self.assertIn("\ndown_revision = '6a8c0e2f4b1d'\n", path.read_text())

    def test_empty_down_revision(self):
        path, actions = self.fix("b3d5f7a9c1e0_add_fx_rates.py", "empty-down-revision")
        titles = [a["title"] for a in actions]
        self.assertIn("Write down_revision = None (a base)", titles)
        # Both diagnostics on the same `''` at once: each fix listed once.
        both = [d for d in self.client.diagnostics(path)
                if d["code"] in ("empty-down-revision", "unexpected-base")]
        self.assertEqual(len(both), 2)
        together = self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(path)}, "range": both[0]["range"],
            "context": {"diagnostics": both, "only": ["quickfix"]}})
        together_titles = [a["title"] for a in together]
        self.assertEqual(len(together_titles), len(set(together_titles)), together_titles)
        self.assertEqual(set(together_titles), set(titles))
        head = next(a for a in actions if a["title"].startswith("Set down_revision to head"))
        self.apply(head)
        self.assertNotIn("down_revision = ''", path.read_text())
        codes = [d["code"] for d in self.client.diagnostics(path) or []]
        self.assertNotIn("empty-down-revision", codes)
        self.assertNotIn("unexpected-base", codes)

    def test_branch_label_conflict(self):
        path, actions = self.fix("a7c9e1f3b5d0_create_billing_reports.py", "branch-label-conflict")
        self.assertEqual([a["title"] for a in actions],
                         ["Remove branch label 'billing' from this revision"])
        self.apply(actions[0])
        self.assertIn("branch_labels = None\n", path.read_text())

    def test_conflict_markers(self):
        path = self.versions / "0f2a4c6e8b1d_backfill_ledger_balances.py"
        diagnostic = next(d for d in self.client.diagnostics(path) if d["code"] == "syntax-error")
        actions = self.fixes(path, diagnostic)
        self.assertEqual([a["title"] for a in actions],
                         ["Resolve the conflict: keep 'HEAD'",
                          "Resolve the conflict: keep 'feature/ledger-booked-at'"])
        self.apply(actions[1])
        text = path.read_text()
        self.assertNotIn("<<<<<<<", text)
        self.assertIn("booked_at", text)
        compile(text, str(path), "exec")

    def test_not_a_migration_moves_next_to_the_config(self):
        path = self.versions / "migration_utils.py"
        diagnostic = next(d for d in self.client.diagnostics(path) if d["code"] == "not-a-migration")
        action = self.preferred(self.fixes(path, diagnostic))
        self.apply(action)
        self.assertFalse(path.exists())
        self.assertTrue((self.root / "migration_utils.py").exists())

    def test_revision_cycle_is_broken_onto_a_head(self):
        path = self.root / "services/audit/migrations/versions/5b6c7d8e9f0a_add_actor_column.py"
        diagnostic = next(d for d in self.client.diagnostics(path) if d["code"] == "revision-cycle")
        actions = self.fixes(path, diagnostic)
        self.assertEqual([a["title"] for a in actions],
                         ["Break the cycle: set down_revision to head '0a1b2c3d4e5f'"])
        self.apply(actions[0])
        self.assertEqual(alembic_heads(self.root / "services/audit"), ["d2e3f4a5b6c7"])

    def test_stale_or_foreign_diagnostics_get_nothing(self):
        path = self.versions / "5e8f0a2b4c6d_add_order_discounts.py"
        diagnostic = dict(self.diagnostic(path.name, "missing-revision"))
        moved = copy.deepcopy(diagnostic)
        moved["range"]["start"]["line"] += 1
        moved["range"]["end"]["line"] += 1
        self.assertEqual(self.fixes(path, moved), [])
        foreign = dict(diagnostic, source="pyright")
        self.assertEqual(self.fixes(path, foreign), [])
        garbage = [{"code": 5, "range": "x"}, "text", None,
                   {"code": "missing-revision", "range": {"start": {"line": -1}}},
                   {"code": "missing-revision"}]
        self.assertEqual(self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(path)}, "range": diagnostic["range"],
            "context": {"diagnostics": garbage, "only": ["quickfix"]}}), [])
        self.assertEqual(self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(self.root / "nowhere.py")},
            "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}), [])


def two_heads_project(root):
    """a1 ── b2 ─┬─ c3 ── d4   and   b2 ── x5 ── y6 (two PRs), for the rebase."""
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")

    def write(rev, down, quote="'"):
        (versions / f"{rev}_m.py").write_text(textwrap.dedent(f'''\
            """{rev}

            Revision ID: {rev}
            Revises: {down or ""}
            Create Date: 2024-03-01 10:00:00.000000

            """
            revision = {quote}{rev}{quote}
            down_revision = {f"{quote}{down}{quote}" if down else None}
            branch_labels = None
            depends_on = None


            def upgrade():
                pass


            def downgrade():
                pass
            '''))
    ids = {k: k * 6 for k in ("a1", "b2", "c3", "d4", "e5", "f6")}
    write(ids["a1"], None)
    write(ids["b2"], ids["a1"])
    write(ids["c3"], ids["b2"])
    write(ids["d4"], ids["c3"])
    write(ids["e5"], ids["b2"], quote='"')
    write(ids["f6"], ids["e5"])
    return versions, ids


class RebaseTest(unittest.TestCase):
    def setUp(self):
        import shutil
        import tempfile
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-rebase-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.versions, self.ids = two_heads_project(self.root)
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.client.initialize(self.root, capabilities=CAPABILITIES)
        self.head = self.versions / f"{self.ids['f6']}_m.py"
        self.client.wait_diagnostics(self.head, lambda ds: any(d["code"] == "multiple-heads"
                                                               for d in ds))

    def test_rebase_beside_the_merge(self):
        diagnostic = next(d for d in self.client.diagnostics(self.head)
                          if d["code"] == "multiple-heads")
        actions = self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(self.head)}, "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]}})
        titles = [a["title"] for a in actions]
        self.assertTrue(titles[0].startswith("Merge 2 heads"), titles)
        self.assertTrue(actions[0].get("isPreferred"))
        d4 = self.ids["d4"]
        rebase = next(a for a in actions if a["title"].startswith("Rebase"))
        self.assertEqual(rebase["title"],
                         f"Rebase this branch onto {d4} (only if it was never applied to a database)")
        self.assertFalse(rebase.get("isPreferred", False))
        note = next(iter(rebase["edit"]["changeAnnotations"].values()))
        self.assertTrue(note["needsConfirmation"])
        self.assertIn("Only safe while no database has applied", note["description"])
        moved = self.versions / f"{self.ids['e5']}_m.py"
        self.assertEqual([c["textDocument"]["uri"] for c in rebase["edit"]["documentChanges"]],
                         [path_to_uri(moved)])
        apply_and_tell(self.client, rebase["edit"])
        self.client.request("alembic/graph", {})
        text = moved.read_text()
        self.assertIn(f'down_revision = "{d4}"\n', text, "double quotes kept")
        self.assertIn(f"Revises: {d4}\n", text)
        self.assertEqual(self.client.diagnostics(self.head), [])
        self.assertEqual(alembic_heads(self.root), [self.ids["f6"]])
        history = alembic(self.root, "history")
        self.assertEqual(history.returncode, 0, history.stderr)
        self.assertIn(f"{d4} -> {self.ids['e5']}", history.stdout)


    def test_no_rebase_for_an_informational_multiple_heads(self):
        """A project whose settings made multiple-heads informational (an intended
        layout): the diagnostic as sent decides, as for the merge."""
        diagnostic = dict(next(d for d in self.client.diagnostics(self.head)
                               if d["code"] == "multiple-heads"), severity=3)
        actions = self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(self.head)}, "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}})
        self.assertEqual(actions, [])


# The order the sequence fixes findings in: the merge of heads last, once everything
# else that changes the graph has been fixed.
LAST = ("multiple-heads",)


class TangledToZeroErrorsTest(QuickFixCase):
    """Applies quick fixes one at a time, as a user picking the preferred (else the
    first) fix of the first diagnostic that has one, until nothing fixable is left."""

    def application_modules(self):
        """The application code the example's migrations import (`ledger.db.migration`)
        is not part of the example: a user's repository has it. Provide it."""
        package = self.root / "ledger" / "db" / "migration"
        package.mkdir(parents=True)
        for d in (self.root / "ledger", self.root / "ledger" / "db", package):
            (d / "__init__.py").write_text("")
        (package / "cli.py").write_text('EXPAND_BRANCH = "expand"\n')

    def pending(self, done):
        candidates = []
        for uri, diagnostics in sorted(self.latest().items()):
            for d in diagnostics:
                if d["severity"] > 2:
                    continue
                key = (uri, d["code"], json.dumps(d["range"], sort_keys=True))
                if key in done:
                    continue
                candidates.append((d["code"] in LAST, uri, d["range"]["start"]["line"], key, d))
        candidates.sort(key=lambda c: c[:3])
        return candidates

    def next_fix(self, done):
        """The fix a user would pick next: the preferred fix of the first diagnostic that
        has one, else the first fix of the first diagnostic that has any; the merge of
        heads only once nothing else is left."""
        candidates = self.pending(done)
        for last in (False, True):
            fallback = None
            for is_last, uri, _, key, d in candidates:
                if is_last != last:
                    continue
                actions = [a for a in self.fixes(Path(uri_to_path(uri)), d) if "edit" in a]
                preferred = [a for a in actions if a.get("isPreferred")]
                if preferred:
                    return key, uri, d, preferred[0]
                if actions and fallback is None:
                    fallback = (key, uri, d, actions[0])
            if fallback:
                return fallback
        return None

    def test_quick_fixes_take_tangled_to_zero_errors(self):
        self.application_modules()
        done, applied = set(), []
        for _ in range(60):
            chosen = self.next_fix(done)
            if chosen is None:
                break
            key, uri, d, action = chosen
            done.add(key)
            applied.append(f"{Path(uri_to_path(uri)).name}: {d['code']}: {action['title']}")
            self.apply(action)
        errors = [(uri, d["code"], d["message"]) for uri, ds in self.latest().items()
                  for d in ds if d["severity"] == 1]
        self.assertEqual(errors, [], "\n".join(applied))
        fixed_codes = {line.split(": ")[1] for line in applied}
        for code in ("missing-revision", "unexpected-base", "duplicate-revision", "header-mismatch",
                     "multiple-heads", "invalid-revision-id", "revision-cycle"):
            self.assertIn(code, fixed_codes, "\n".join(applied))

        report = subprocess.run([BINARY, "check", "--format", "json", "."], cwd=self.root,
                                capture_output=True, text=True, timeout=120)
        envs = {(self.root / local_path(e["config"])).parent: e for e in json.loads(report.stdout)["environments"]}
        self.assertEqual(len(envs), 2, report.stdout)
        for env in envs.values():
            self.assertEqual([d for d in env["diagnostics"] if d["severity"] == "error"], [],
                             "\n".join(applied))
        for config_dir in (self.root, self.root / "services" / "audit"):
            env = envs[config_dir]
            heads = alembic_heads(config_dir)
            self.assertEqual(heads, env["heads"], "\n".join(applied))
            self.assertEqual(len(heads), 1, heads)
            history = alembic(config_dir, "history")
            self.assertEqual(history.returncode, 0, history.stderr)
            for revision in env["revisions"]:
                self.assertIn(revision["id"], history.stdout)


if __name__ == "__main__":
    unittest.main()
