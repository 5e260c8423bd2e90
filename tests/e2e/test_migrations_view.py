"""`alembic/migrations`, the content of the editors' migrations views (VS Code's tree,
Neovim's quickfix list, Emacs' *alembic* buffer), over stdio on copies of the bundled
examples: heads and bases as `alembic-lsp check` reports them, every revision after its
parents, the kind markers, each file's problems on its revision, missing parents and the
problems of files that declare no revision."""

import json
import re
import shutil
import subprocess
import unittest
from pathlib import Path

from edit_support import wait_indexed
from lsp_client import BINARY, LspClient, LspError, copy_example, local_paths, path_to_uri, uri_to_path


def check_report(root):
    """`alembic-lsp check --format json .` in root: paths relative to it."""
    run = subprocess.run([BINARY, "check", "--format", "json", "--no-history", "."], cwd=root,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, 1), run.stderr
    # Paths as this machine writes them (the .exe under wine prints Windows paths).
    return {env["name"]: env for env in local_paths(json.loads(run.stdout))["environments"]}


class MigrationsViewCase(unittest.TestCase):
    example = "tangled"

    def setUp(self):
        self.tmp, self.root = copy_example(self.example)
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.client.initialize(self.root)
        wait_indexed(self.client)

    def view(self, params=None):
        result = self.client.request("alembic/migrations", params if params is not None else {})
        self.assertTrue(result["indexed"])
        return {env["name"]: env for env in local_paths(result)["environments"]}

    def rel(self, path):
        return str(Path(path).relative_to(self.root))

    def assert_history_order(self, env):
        """Every revision comes after the parents it has in the environment; cycle members last."""
        ids = [r["id"] for r in env["revisions"]]
        position = {}
        for i, r in enumerate(env["revisions"]):
            position.setdefault(r["id"], i)
        cyclic = {r["id"] for r in env["revisions"]
                  if any(p["code"] == "revision-cycle" for p in r["problems"])}
        for i, r in enumerate(env["revisions"]):
            if r["id"] in cyclic:
                continue
            for parent in r["parents"]:
                if parent in position:
                    self.assertLess(position[parent], i, f"{r['id']} listed before its parent {parent}")
        if cyclic:
            tail = ids[len(ids) - len(cyclic):]
            self.assertEqual(set(tail), cyclic, "the members of a cycle come last")

    def assert_lines_and_files(self, env):
        for r in env["revisions"]:
            self.assertEqual(uri_to_path(r["uri"]), r["path"])
            lines = Path(r["path"]).read_text().split("\n")
            self.assertRegex(lines[r["line"] - 1], r"^revision\b.*" + re.escape(r["id"]),
                             f"{r['id']}: line {r['line']} is not its revision line")

    def assert_problems_match_check(self, env, reported):
        """Each finding of `check` is on the revision of its file, or on the environment."""
        got = []
        for r in env["revisions"]:
            for p in r["problems"]:
                got.append((self.rel(r["path"]), p["line"], p["code"], p["severity"]))
        for p in env["problems"]:
            got.append((self.rel(p["path"]), p["line"], p["code"], p["severity"]))
        # A duplicated id's two files each carry their own file's problems once.
        expected = [(d["path"], d["line"], d["code"], d["severity"]) for d in reported["diagnostics"]]
        self.assertEqual(sorted(set(got)), sorted(set(expected)))
        self.assertEqual(len(got), len(expected))


class CleanExample(MigrationsViewCase):
    example = "clean"

    def test_one_head_merge_and_branch_point(self):
        (name, env), = self.view().items()
        reported = check_report(self.root)[name]
        self.assertEqual(env["heads"], reported["heads"])
        self.assertEqual(env["heads"], ["c19f6b2a8e3d"])
        self.assertEqual(env["bases"], ["3f2b9c1d7a4e"])
        self.assertEqual(env["config"], str(self.root / "alembic.ini"))
        self.assertEqual(env["section"], "alembic")
        ids = [r["id"] for r in env["revisions"]]
        self.assertEqual(len(ids), 7)
        self.assertEqual(ids[0], "3f2b9c1d7a4e")
        self.assertEqual(ids[-1], "c19f6b2a8e3d")
        self.assert_history_order(env)
        self.assert_lines_and_files(env)
        kinds = {r["id"]: r["kinds"] for r in env["revisions"]}
        self.assertEqual(kinds["3f2b9c1d7a4e"], ["base"])
        self.assertEqual(kinds["b5e07a3c9f12"], ["branch-point"])
        self.assertEqual(kinds["47a0e5d3b9c6"], ["merge"])
        self.assertEqual(kinds["c19f6b2a8e3d"], ["head"])
        self.assertEqual(kinds["8c41d2e9b7a0"], [])
        merge = next(r for r in env["revisions"] if r["id"] == "47a0e5d3b9c6")
        self.assertEqual(sorted(merge["parents"]), ["6d9a1f4e2c85", "e2c7b8046a1d"])
        self.assertEqual(merge["children"], ["c19f6b2a8e3d"])
        self.assertTrue(merge["message"].startswith("merge email verification"), merge["message"])
        self.assertEqual([p for r in env["revisions"] for p in r["problems"]], [])
        self.assertEqual(env["missing"], [])
        self.assertEqual(env["problems"], [])

    def test_an_edit_shows_at_once(self):
        """A problem typed into an open file is on its node in the next answer."""
        path = self.root / "migrations" / "versions" / "c19f6b2a8e3d_create_shipping_addresses.py"
        text = path.read_text()
        self.client.open(path, text)
        broken = text.replace("down_revision = '47a0e5d3b9c6'", "down_revision = '47a0e5d3'")
        self.assertNotEqual(broken, text)
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(path), "version": 2},
            "contentChanges": [{"text": broken}]})
        (_, env), = self.view().items()
        node = next(r for r in env["revisions"] if r["id"] == "c19f6b2a8e3d")
        self.assertIn("missing-revision", [p["code"] for p in node["problems"]])
        self.assertNotIn("base", node["kinds"])  # down_revision names a parent, a missing one
        self.assertEqual(env["missing"], [{"id": "47a0e5d3", "referenced_by": ["c19f6b2a8e3d"]}])
        self.assertEqual(sorted(env["heads"]), ["47a0e5d3b9c6", "c19f6b2a8e3d"])


class TangledExample(MigrationsViewCase):
    def test_every_environment_as_check_reports_it(self):
        view = self.view()
        reported = check_report(self.root)
        self.assertEqual(sorted(view), sorted(reported))
        self.assertEqual(sorted(view), ["migrations", "services/audit/migrations"])
        for name, env in view.items():
            with self.subTest(env=name):
                self.assertEqual(sorted(env["heads"]), sorted(reported[name]["heads"]))
                self.assertEqual(sorted(env["bases"]), sorted(reported[name]["bases"]))
                self.assertEqual(len(env["revisions"]), len(reported[name]["revisions"]))
                heads = sorted(r["id"] for r in env["revisions"] if "head" in r["kinds"])
                self.assertEqual(sorted(set(heads)), sorted(set(env["heads"])))
                merges = sorted({r["id"] for r in env["revisions"] if "merge" in r["kinds"]})
                self.assertEqual(merges, sorted(reported[name]["merge_points"]))
                points = sorted({r["id"] for r in env["revisions"] if "branch-point" in r["kinds"]})
                self.assertEqual(points, sorted(reported[name]["branch_points"]))
                self.assert_history_order(env)
                self.assert_lines_and_files(env)
                self.assert_problems_match_check(env, reported[name])

    def test_the_stories_of_the_monolith(self):
        env = self.view()["migrations"]
        by_id = {}
        for r in env["revisions"]:
            by_id.setdefault(r["id"], []).append(r)
        self.assertEqual(len(env["heads"]), 11)
        # The duplicated id: two nodes, both marked, each with its file's problems.
        copies = by_id["3a7c9e1b5d2f"]
        self.assertEqual(len(copies), 2)
        for c in copies:
            self.assertIn("duplicate", c["kinds"])
            self.assertIn("duplicate-revision", [p["code"] for p in c["problems"]])
        self.assertEqual(sorted(Path(c["path"]).name for c in copies),
                         ["3a7c9e1b5d2f_add_refund_reason.py", "b9d1f3a5c7e0_add_refund_status.py"])
        # The file name written instead of the id: a missing parent, and the problem on the child.
        child = by_id["5e8f0a2b4c6d"][0]
        self.assertEqual(child["parents"], ["a1b2c3d4e5f6_add_orders"])
        self.assertIn("missing-revision", [p["code"] for p in child["problems"]])
        self.assertIn({"id": "a1b2c3d4e5f6_add_orders", "referenced_by": ["5e8f0a2b4c6d"]}, env["missing"])
        # The unparenthesised tuple is a merge point, and 8b0d2f4a6c1e a branch point too.
        merge = by_id["8b0d2f4a6c1e"][0]
        self.assertIn("merge", merge["kinds"])
        self.assertIn("branch-point", merge["kinds"])
        self.assertEqual(sorted(merge["parents"]), ["6a8c0e2f4b1d", "f0e1d2c3b4a5"])
        self.assertEqual(sorted(merge["children"]), ["7d3e9f1a2b4c", "e6b1c8d2f7a3"])
        # Branch labels as written.
        self.assertEqual(by_id["4c6e8a0b2d1f"][0]["branch_labels"], ["billing"])
        conflict = by_id["a7c9e1f3b5d0"][0]
        self.assertEqual(conflict["branch_labels"], ["billing"])
        self.assertIn("branch-label-conflict", [p["code"] for p in conflict["problems"]])
        # Problem severities and messages as the server's diagnostics say them.
        head_problem = next(p for p in by_id["7d3e9f1a2b4c"][0]["problems"] if p["code"] == "multiple-heads")
        self.assertEqual(head_problem["severity"], "error")
        self.assertTrue(head_problem["message"].startswith("Head 7d3e9f1a2b4c is one of 11 heads."),
                        head_problem["message"])
        # The helper module declares no revision: its problem is on the environment.
        other = [(Path(p["path"]).name, p["code"]) for p in env["problems"]]
        self.assertIn(("migration_utils.py", "not-a-migration"), other)
        self.assertNotIn("migration_utils", " ".join(r["path"] for r in env["revisions"]))

    def test_the_cycle_of_the_audit_service(self):
        env = self.view()["services/audit/migrations"]
        ids = [r["id"] for r in env["revisions"]]
        self.assertEqual(ids[0], "0a1b2c3d4e5f")
        self.assertEqual(sorted(ids[1:]), ["5b6c7d8e9f0a", "8e9f0a1b2c3d", "d2e3f4a5b6c7"])
        for r in env["revisions"][1:]:
            self.assertIn("revision-cycle", [p["code"] for p in r["problems"]])

    def test_a_uri_narrows_to_its_environment(self):
        audit = self.root / "services" / "audit" / "migrations" / "versions" / "0a1b2c3d4e5f_create_audit_events.py"
        view = self.view({"uri": path_to_uri(audit)})
        self.assertEqual(list(view), ["services/audit/migrations"])
        # No params at all and null params are read as "everything".
        self.assertEqual(len(self.view({})), 2)
        self.assertEqual(len(self.client.request("alembic/migrations", None)["environments"]), 2)
        with self.assertRaises(LspError) as caught:
            self.client.request("alembic/migrations", {"uri": "not a uri"})
        self.assertIn("not a file URI", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
