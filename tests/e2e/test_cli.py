"""The command line end to end: --help everywhere, exit codes, check's four formats,
[tool.alembic-lsp] settings, check --base on real git repositories, merge's safety rules
and graph output. Parity with Alembic's own output is in test_cli_parity.py."""

import json
import os
import re
import shutil
import subprocess
import unittest

from cli_support import (NO_GIT, NO_GIT_UNDER_WINE, SOURCE_DIR, GitRepo, TempDirTestCase,
                         make_project, migration, native, require_alembic, run, without_git)

FORK = [("a1", None), ("b2", "a1"), ("c3", "a1")]
LINEAR = [("a1", None), ("b2", "a1")]


class HelpAndUsageTest(TempDirTestCase):
    def test_every_command_has_help(self):
        for command in ["check", "heads", "branches", "merge", "graph", "serve"]:
            for flag in ["--help", "-h"]:
                with self.subTest(command=command, flag=flag):
                    r = run([command, flag])
                    self.assertEqual(r.returncode, 0, r.stderr)
                    self.assertTrue(r.stdout.startswith(f"usage: alembic-lsp {command}") or
                                    r.stdout.startswith("usage: alembic-lsp [serve]"), r.stdout)
                    self.assertEqual(r.stderr, "")
        top = run(["--help"])
        for command in ["check", "heads", "branches", "merge", "graph", "serve"]:
            self.assertIn(f"  {command} ", top.stdout)

    def test_usage_errors_exit_2(self):
        make_project(self.tmp, LINEAR)
        for args in (["check", "--format", "xml"], ["heads", "--bogus"], ["graph", "--format", "png"],
                     ["merge", "-m"], ["branches", "a", "b"], ["graph", "--width", "x"],
                     ["nonsense"]):
            with self.subTest(args=args):
                r = run(args, cwd=self.tmp)
                self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
                self.assertTrue(r.stderr.startswith("alembic-lsp: "), r.stderr)
                self.assertEqual(r.stdout, "")

    def test_missing_path_exit_2(self):
        for command in ["check", "heads", "branches", "merge", "graph"]:
            with self.subTest(command=command):
                r = run([command, str(self.tmp / "nowhere/")])
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn("nowhere", r.stderr)

    def test_several_environments_need_a_name(self):
        for command in ["heads", "branches", "merge", "graph"]:
            with self.subTest(command=command):
                r = run([command, str(SOURCE_DIR / "examples" / "tangled")])
                self.assertEqual(r.returncode, 2)
                self.assertIn("choose one with --name ENV", r.stderr)
                self.assertIn("services/audit/migrations", r.stderr)
        r = run(["heads", str(SOURCE_DIR / "examples" / "tangled"), "--name", "nope"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("no environment named 'nope'", r.stderr)
        r = run(["heads", str(SOURCE_DIR / "examples" / "tangled"), "--name", "services/audit/migrations"])
        self.assertEqual(r.returncode, 0, r.stderr)


class CheckFormatsTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        make_project(self.tmp, FORK)

    def test_exit_codes(self):
        clean = self.tmp / "clean"
        make_project(clean, LINEAR)
        for fmt in ["text", "json", "github", "sarif"]:
            with self.subTest(fmt=fmt):
                self.assertEqual(run(["check", "--format", fmt], cwd=clean).returncode, 0)
                self.assertEqual(run(["check", "--format", fmt, "."], cwd=self.tmp).returncode, 1)

    def test_github(self):
        r = run(["check", "--format", "github"], cwd=self.tmp)
        lines = [l for l in r.stdout.splitlines() if l.startswith("::")]
        self.assertEqual(len(lines), 2, r.stdout)  # the two heads
        for line in lines:
            self.assertRegex(line, r"^::error file=alembic/versions/(b2|c3)_m\.py,line=13,endLine=13,"
                                   r"col=12,endColumn=16,title=multiple-heads::Head (b2|c3) is one of 2 heads\.%0A")
        self.assertIn("alembic-lsp: 2 errors, 0 warnings, 0 notices in 1 environment", r.stdout)

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # the repository's root comes from git
    def test_github_paths_are_relative_to_the_repository(self):
        GitRepo(self.tmp)
        sub = self.tmp / "alembic"
        r = run(["check", "--format", "github", ".."], cwd=sub)
        self.assertIn("file=alembic/versions/b2_m.py,", r.stdout)

    def test_github_paths_without_git_are_relative_to_the_working_directory(self):
        GitRepo(self.tmp)
        sub = self.tmp / "alembic"
        r = run(["check", "--format", "github", ".."], cwd=sub, env=without_git(os.environ))
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertIn("file=versions/b2_m.py,", r.stdout)
        self.assertIn("alembic-lsp: 2 errors, 0 warnings, 0 notices in 1 environment", r.stdout)

    def test_sarif(self):
        r = run(["check", "--format", "sarif"], cwd=self.tmp)
        log = json.loads(r.stdout)
        self.assertEqual(log["version"], "2.1.0")
        self.assertIn("sarif-2.1.0", log["$schema"])
        run0 = log["runs"][0]
        rules = run0["tool"]["driver"]["rules"]
        ids = [rule["id"] for rule in rules]
        for code in ["multiple-heads", "missing-revision", "duplicate-revision", "revision-cycle",
                     "unexpected-base", "branch-label-conflict", "invalid-revision-id",
                     "unresolved-value", "header-mismatch", "syntax-error", "not-a-migration",
                     "missing-down-revision", "empty-down-revision", "unread-migrations", "io-error", "config-error",
                     "config-warning"]:
            self.assertIn(code, ids)
        for rule in rules:
            for key in ["shortDescription", "fullDescription"]:
                self.assertTrue(rule[key]["text"])
            self.assertTrue(rule["help"]["text"] and rule["help"]["markdown"])
            self.assertIn(rule["defaultConfiguration"]["level"], ["error", "warning", "note"])
        self.assertEqual(len(run0["results"]), 2)
        for result in run0["results"]:
            self.assertEqual(ids[result["ruleIndex"]], result["ruleId"])
            loc = result["locations"][0]["physicalLocation"]
            self.assertEqual(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%")
            self.assertRegex(loc["artifactLocation"]["uri"], r"^alembic/versions/(b2|c3)_m\.py$")
            self.assertEqual(loc["region"], {"startLine": 13, "startColumn": 12, "endLine": 13, "endColumn": 16})
            self.assertRegex(result["partialFingerprints"]["alembicLsp/v1"], r"^[0-9a-f]{16}$")
        again = json.loads(run(["check", "--format", "sarif"], cwd=self.tmp).stdout)
        self.assertEqual([x["partialFingerprints"] for x in again["runs"][0]["results"]],
                         [x["partialFingerprints"] for x in run0["results"]])

    def test_text_and_json_unchanged(self):
        text = run(["check"], cwd=self.tmp)
        self.assertRegex(text.stdout, r"error: Head (b2|c3) is one of 2 heads\. \[multiple-heads\]")
        data = json.loads(run(["check", "--format", "json"], cwd=self.tmp).stdout)
        self.assertEqual(len(data["environments"][0]["diagnostics"]), 2)


class SettingsTest(TempDirTestCase):
    def write_settings(self, text):
        (self.tmp / "pyproject.toml").write_text("[project]\nname = 'app'\n\n" + text)

    def test_expected_heads_makes_a_fork_pass(self):
        make_project(self.tmp, FORK)
        self.write_settings("[tool.alembic-lsp]\nexpected-heads = 2\n")
        r = run(["check"], cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("info: Head b2 is one of 2 heads, as expected-heads says.", r.stdout)
        self.write_settings("[tool.alembic-lsp]\nexpected-heads = { \"alembic\" = 3 }\n")
        r = run(["check"], cwd=self.tmp)
        self.assertEqual(r.returncode, 1)
        self.assertIn("is one of 2 heads; expected-heads is 3.", r.stdout)

    def test_allow_multiple_heads_ignore_and_severity(self):
        make_project(self.tmp, FORK)
        self.write_settings("[tool.alembic-lsp]\nallow-multiple-heads = true\n")
        self.assertEqual(run(["check"], cwd=self.tmp).returncode, 0)
        self.write_settings("[tool.alembic-lsp]\nignore = [\"multiple-heads\"]\n")
        r = run(["check", "--format", "json"], cwd=self.tmp)
        self.assertEqual((r.returncode, json.loads(r.stdout)["environments"][0]["diagnostics"]), (0, []))
        self.write_settings("[tool.alembic-lsp.severity]\nmultiple-heads = \"warning\"\n")
        r = run(["check"], cwd=self.tmp)
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"warning: Head \S+ is one of 2 heads\.")

    def test_unknown_key_is_a_config_warning_with_file_and_line(self):
        make_project(self.tmp, LINEAR)
        self.write_settings("[tool.alembic-lsp]\nexpected-heads = 1\nmax-heads = 2\n")
        r = run(["check"], cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertRegex(r.stdout, r"pyproject\.toml:6:1: warning: Unknown key 'max-heads' in "
                                   r"\[tool\.alembic-lsp\].*\[config-warning\]")
        self.assertIn("(config-warning: 1)", r.stdout)

    def test_settings_of_a_parent_directory(self):
        make_project(self.tmp / "svc", FORK)
        self.write_settings("[tool.alembic-lsp]\nexpected-heads = 2\n")
        self.assertEqual(run(["check", "svc"], cwd=self.tmp).returncode, 0)


@unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git: NoGitTest
class BaseRefTest(TempDirTestCase):
    """check --base on a repository with a main branch and a feature branch."""

    def setUp(self):
        super().setUp()
        self.repo = GitRepo(self.tmp / "repo")
        # main: a1 <- b2, plus an old mistake: x9 names a parent that does not exist.
        make_project(self.repo.path, [("a1", None), ("b2", "a1"), ("x9", "gone")])
        self.repo.commit("main")
        self.repo.git("checkout", "-q", "-b", "feature")
        self.versions = self.repo.path / "alembic" / "versions"

    def check(self, *args, cwd=None):
        return run(["check", *args], cwd=cwd or self.repo.path)

    def test_no_change_means_no_new_findings(self):
        self.assertEqual(self.check().returncode, 1)  # the old mistake is still there
        r = self.check("--base", "main")
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertNotIn("error:", r.stdout)

    def test_a_new_second_head_is_reported(self):
        (self.versions / "c3_m.py").write_text(migration("c3", "a1"))  # uncommitted works too
        r = self.check("--base", "main", "--format", "github")
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("file=alembic/versions/c3_m.py,", r.stdout)
        self.assertNotIn("missing-revision", r.stdout)  # x9's problem predates the branch
        self.assertNotIn("x9_m.py", r.stdout)
        self.repo.commit("feature: c3")
        r2 = self.check("--base", "main")
        self.assertEqual(r2.returncode, 1)
        self.assertIn("c3_m.py", r2.stdout)
        self.assertEqual(self.check("--base", "HEAD").returncode, 0)

    def test_a_newly_missing_parent_is_reported(self):
        (self.versions / "b2_m.py").write_text(migration("b2", "a1_m"))
        self.repo.commit("feature: typo")
        r = self.check("--base", "main", "--format", "json")
        codes = sorted(d["code"] for d in json.loads(r.stdout)["environments"][0]["diagnostics"])
        self.assertIn("missing-revision", codes)
        self.assertEqual(r.returncode, 1)
        revisions = [d["revisions"] for d in json.loads(r.stdout)["environments"][0]["diagnostics"]
                     if d["code"] == "missing-revision"]
        self.assertEqual(revisions, [["b2", "a1_m"]])

    def test_fixing_a_problem_leaves_nothing(self):
        (self.versions / "x9_m.py").write_text(migration("x9", "b2"))
        r = self.check("--base", "main")
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_merge_commit_base_and_other_refs(self):
        (self.versions / "c3_m.py").write_text(migration("c3", "b2"))
        self.repo.commit("feature: c3")
        sha = self.repo.git("rev-parse", "main").strip()
        for ref in [sha, sha[:8], "feature~1", "main"]:
            with self.subTest(ref=ref):
                self.assertEqual(self.check("--base", ref).returncode, 0)

    def test_unknown_ref_exit_2(self):
        r = self.check("--base", "no-such-branch")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr, "alembic-lsp: unknown git ref 'no-such-branch'\n")
        self.assertEqual(r.stdout, "")

    def test_not_a_repository_exit_2(self):
        plain = self.tmp / "plain"
        make_project(plain, LINEAR)
        env = dict(__import__("os").environ, GIT_CEILING_DIRECTORIES=str(self.tmp))
        r = run(["check", "--base", "main"], cwd=plain, env=env)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--base needs a git repository", r.stderr)
        self.assertIn("is not inside a git repository", r.stderr)


class NoGitTest(TempDirTestCase):
    """Without git (an emptied PATH; under wine, alembic-lsp.exe with no git.exe), --base
    says so and exits 2; check without it works."""

    def test_base_without_git_says_so(self):
        make_project(self.tmp, LINEAR)
        GitRepo(self.tmp).commit("start")
        env = without_git(os.environ)
        r = run(["check", "--base", "main"], cwd=self.tmp, env=env)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "alembic-lsp: --base needs a git repository: git is not installed "
                                   "(no `git` on PATH)\n")
        r = run(["check"], cwd=self.tmp, env=env)
        self.assertEqual((r.returncode, r.stderr), (0, ""))


class MergeSafetyTest(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        require_alembic(cls)  # make_project copies Alembic's own script.py.mako

    def test_refuses_to_overwrite(self):
        make_project(self.tmp, FORK)
        target = self.tmp / "alembic" / "versions" / "abcd_.py"
        target.write_text("# not a migration, but mine\n")
        r = run(["merge", "--rev-id", "abcd"], cwd=self.tmp)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("refusing to overwrite " + native("alembic/versions/abcd_.py"), r.stderr)
        self.assertEqual(target.read_text(), "# not a migration, but mine\n")

    def test_rejects_used_or_illegal_ids(self):
        make_project(self.tmp, FORK)
        for rev_id, message in [("b2", "already used"), ("a-b", "not allowed")]:
            r = run(["merge", "--rev-id", rev_id], cwd=self.tmp)
            self.assertEqual(r.returncode, 2)
            self.assertIn(message, r.stderr)

    def test_nothing_to_merge_exit_1(self):
        make_project(self.tmp, LINEAR)
        before = sorted((self.tmp / "alembic" / "versions").iterdir())
        r = run(["merge", "-m", "x"], cwd=self.tmp)
        self.assertEqual(r.returncode, 1)
        self.assertIn("nothing to merge", r.stderr)
        self.assertEqual(sorted((self.tmp / "alembic" / "versions").iterdir()), before)

    def test_revision_arguments(self):
        make_project(self.tmp, [("a1", None), ("b2aa", "a1"), ("c3bb", "a1"), ("d4", "a1", ("lbl",))])
        for args, error in [(["zzzzz", "b2aa"], "No such revision or branch 'zzzzz'"),
                            (["a1", "b2aa"], "Revision a1 is not a head revision"),
                            (["b2aa", "b2aa"], "Duplicate head revisions specified"),
                            (["head"], "Multiple head revisions are present")]:
            with self.subTest(args=args):
                r = run(["merge", ".", "--rev-id", "ffff"] + args, cwd=self.tmp)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(error, r.stderr)
        r = run(["merge", "--rev-id", "eeee", "zz", "lbl@head"], cwd=self.tmp)
        self.assertEqual(r.returncode, 2)
        self.assertIn("No such revision or branch 'zz'; please ensure at least four characters", r.stderr)
        # A prefix may be short; the ids it matches must be longer than three characters.
        r = run(["merge", "--rev-id", "eeee", "c3bb", "lbl", "b2a"], cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        text = (self.tmp / "alembic" / "versions" / "eeee_.py").read_text()
        self.assertIn("down_revision = ('c3bb', 'd4', 'b2aa')", text)
        self.assertEqual(run(["heads"], cwd=self.tmp).stdout, "eeee (lbl) (head)\n")

    def test_stays_in_the_version_location(self):
        make_project(self.tmp, FORK, "file_template = ../../%%(rev)s\n")
        r = run(["merge", "--rev-id", "abcd"], cwd=self.tmp)
        self.assertEqual(r.returncode, 2)
        self.assertIn("outside", r.stderr)
        self.assertFalse((self.tmp / "abcd.py").exists())


class GraphTest(TempDirTestCase):
    def test_dot_and_mermaid(self):
        make_project(self.tmp, [("a1", None), ("b2", "a1"), ("c3", "a1"), ("m4", ("b2", "c3")),
                                ("d5", "nope"), ("e6", None, ("side",), "m4")])
        dot = run(["graph"], cwd=self.tmp)
        self.assertEqual(dot.returncode, 0, dot.stderr)
        self.assertTrue(dot.stdout.startswith("digraph revisions {"))
        self.assertIn('label="nope\\n(missing)", shape=box, style="dashed"', dot.stdout)
        self.assertIn("shape=hexagon", dot.stdout)
        self.assertIn("style=dotted", dot.stdout)
        mermaid = run(["graph", "--format", "mermaid", "--width", "5"], cwd=self.tmp)
        self.assertEqual(mermaid.returncode, 0)
        self.assertIn("flowchart TB", mermaid.stdout)
        self.assertIn('add m...', mermaid.stdout)
        self.assertIn(" -.-> ", mermaid.stdout)
        self.assertIsNotNone(shutil.which("dot"),
                             "Graphviz `dot` is needed to render the DOT output: "
                             "apt-get install graphviz")
        svg = subprocess.run(["dot", "-Tsvg"], input=dot.stdout, capture_output=True, text=True)
        self.assertEqual(svg.returncode, 0, svg.stderr)
        self.assertEqual(svg.stderr, "")
        self.assertIn("<svg", svg.stdout)

    def test_tangled_example_renders(self):
        r = run(["graph", str(SOURCE_DIR / "examples" / "tangled"), "--name", "migrations"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.count("duplicate id "), 2)
        self.assertIn("(effective head)", r.stdout)


if __name__ == "__main__":
    unittest.main()
