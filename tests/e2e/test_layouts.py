"""Layouts real projects use besides `alembic init`'s, end to end through `check`, `heads`,
`merge` and the language server, compared with Alembic 1.8.1 (Debian 12's) and with 1.13.2 and
1.18.4 (scripts/fetch-alembic-versions.sh):

- version folders nested below versions/ (OpenStack's versions/<release>/{expand,contract}/),
  with and without a config, with `[tool.alembic-lsp] version-locations`;
- a missing parent that lives outside the environment;
- the `Revises:` header as each template style writes a tuple;
- environment names as people type them, and the summary's counts per severity.

Alembic 1.8.1 has no `recursive_version_locations` (1.10 added it), so its reference for a
tree read recursively is the same Alembic configured with every folder listed in
`version_locations`, which is what those projects' own code sets up; 1.13.2 and 1.18.4 are
given `recursive_version_locations = true` and read the tree as alembic-lsp does without a
config.
Flask-Migrate projects are tested with the real `flask db` in test_flask_migrate.py."""

import json
import os
import re
import shutil
import unittest
from pathlib import Path

from cli_support import (NO_GIT, NO_GIT_UNDER_WINE, TempDirTestCase, GitRepo, alembic, make_project,
                         migration, posix_paths, require_alembic, require_alembic_versions, run,
                         without_git)
from edit_support import apply_workspace_edit
from lsp_client import LspClient, path_to_uri, uri_to_path

GENERIC_MAKO = None  # Alembic's own generic template, read once


def generic_mako():
    global GENERIC_MAKO
    if GENERIC_MAKO is None:
        require_alembic(None)
        import cli_support
        GENERIC_MAKO = cli_support.ALEMBIC_TEMPLATE.read_text()
    return GENERIC_MAKO


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def head_lines(text):
    """Lines sorted, and the labels inside `(a, b)` sorted: Alembic 1.8.1 prints a merge's
    inherited labels from a set (order varies with hash seeds) and lists children in
    os.listdir order."""
    def labels_sorted(line):
        return re.sub(r"\(([^()]*, [^()]*)\)", lambda m: "(" + ", ".join(sorted(m.group(1).split(", "))) + ")", line)
    return sorted(labels_sorted(line.strip()) for line in text.splitlines() if line.strip())


def reference_ini(script_location, version_locations, version=None):
    """An alembic.ini reading the tree below script_location/versions: for Alembic 1.8.1
    (version None) listing each folder (its legacy space split), for 1.10 and later with
    `recursive_version_locations = true`."""
    if version is not None:
        return "[alembic]\nscript_location = %s\nrecursive_version_locations = true\n" % script_location
    return ("[alembic]\nscript_location = %s\nversion_locations = %s\n"
            % (script_location, " ".join(str(v) for v in version_locations)))


class NestedWithoutConfigTest(TempDirTestCase):
    """No alembic.ini: a versions/ tree is one environment, read recursively."""

    def minimal(self):
        versions = self.tmp / "proj" / "migrations" / "versions"
        write(versions / "start.py", migration("start", None))
        write(versions / "liberty" / "expand" / "e1.py", migration("e1", "start"))
        return versions

    def test_minimal_case_from_the_issue(self):
        versions = self.minimal()
        r = run(["check", "--format", "json", str(self.tmp / "proj")])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        envs = json.loads(r.stdout)["environments"]
        self.assertEqual([e["name"] for e in envs], ["migrations/versions"])
        self.assertEqual(envs[0]["heads"], ["e1"])
        self.assertEqual(envs[0]["bases"], ["start"])
        self.assertEqual([d["code"] for d in envs[0]["diagnostics"]], [])
        heads = run(["heads", str(self.tmp / "proj")])
        self.assertEqual(heads.returncode, 0, heads.stderr)
        self.assertEqual(heads.stdout, "e1 (head)\n")
        # The same tree given as the versions directory itself.
        self.assertEqual(run(["heads", str(versions)]).stdout, "e1 (head)\n")

    def neutron_like(self):
        """versions/<release>/{expand,contract}/ with branch labels, env.py and
        script.py.mako beside versions/ and no alembic.ini (as neutron-vpnaas)."""
        script = self.tmp / "proj" / "neutron_x" / "db" / "migration" / "alembic_migrations"
        write(script / "env.py", "# run by neutron-db-manage\n")
        write(script / "script.py.mako", generic_mako())
        versions = script / "versions"
        write(versions / "start_x.py", migration("start_x", None))
        write(versions / "EXPAND_HEAD", "aaa2\n")
        write(versions / "CONTRACT_HEAD", "ccc2\n")
        write(versions / "liberty" / "expand" / "aaa1_initial.py",
              migration("aaa1", "start_x", labels=("expand",)))
        write(versions / "liberty" / "contract" / "ccc1_initial.py",
              migration("ccc1", "start_x", labels=("contract",)))
        write(versions / "mitaka" / "expand" / "aaa2_more.py", migration("aaa2", "aaa1"))
        write(versions / "mitaka" / "contract" / "ccc2_drop.py", migration("ccc2", "ccc1"))
        folders = [versions, versions / "liberty" / "expand", versions / "liberty" / "contract",
                   versions / "mitaka" / "expand", versions / "mitaka" / "contract"]
        return script, folders

    def test_neutron_like_layout_matches_alembic(self):
        versions = require_alembic_versions()
        script, folders = self.neutron_like()
        proj = self.tmp / "proj"
        ours = run(["heads", str(proj)])
        self.assertEqual(ours.returncode, 0, ours.stderr)
        self.assertEqual(head_lines(ours.stdout), ["aaa2 (expand) (head)", "ccc2 (contract) (head)"])
        ours_b = run(["branches", str(proj)])
        for label, version in versions:
            with self.subTest(alembic=label):
                ref_dir = self.tmp / ("reference-" + label)
                write(ref_dir / "alembic.ini", reference_ini(script, folders, version))
                theirs = alembic(["heads"], cwd=ref_dir, version=version)
                self.assertEqual(theirs.returncode, 0, theirs.stderr)
                self.assertEqual(head_lines(ours.stdout), head_lines(theirs.stdout))
                theirs_b = alembic(["branches"], cwd=ref_dir, version=version)
                self.assertEqual(head_lines(ours_b.stdout), head_lines(theirs_b.stdout))
        check = run(["check", str(proj)])
        # Two labelled heads are information, nothing is missing: exit 0.
        self.assertEqual(check.returncode, 0, check.stdout)
        self.assertNotIn("missing-revision", check.stdout)
        self.assertIn("findings: 0 errors, 0 warnings, 2 infos (multiple-heads: 2)\n", check.stdout)

    def test_merge_in_nested_tree_uses_the_template_and_matches_alembic(self):
        versions = require_alembic_versions()
        script, folders = self.neutron_like()
        pristine = self.tmp / "pristine"
        shutil.copytree(self.tmp / "proj", pristine)
        proj = self.tmp / "proj"
        # Drop the labels' meaning for the merge: merge the two heads by id.
        r = run(["merge", str(proj), "-m", "join", "--rev-id", "mmmm1111", "aaa2", "ccc2"])
        self.assertEqual(r.returncode, 0, r.stderr)
        ours = Path(posix_paths(r.stdout.strip())).resolve()
        self.assertEqual(ours.parent, script / "versions")
        after = run(["heads", str(proj)])
        self.assertEqual(len(head_lines(after.stdout)), 1, after.stdout)
        strip = lambda t: [l for l in t.splitlines() if not l.startswith("Create Date:")]
        for label, version in versions:
            with self.subTest(alembic=label):
                ref = self.tmp / ("ref-" + label)
                shutil.copytree(pristine, ref)
                ref_script = ref / script.relative_to(proj)
                ref_folders = [ref / f.relative_to(proj) for f in folders]
                write(ref / "alembic.ini", reference_ini(ref_script, ref_folders, version))
                made = alembic(["merge", "-m", "join", "--rev-id", "mmmm1111", "aaa2", "ccc2"],
                               cwd=ref, version=version)
                self.assertEqual(made.returncode, 0, made.stderr)
                # Alembic 1.8.1, given every folder, writes a merge beside its first head;
                # 1.10+ with recursive_version_locations has one location, versions/, where
                # alembic-lsp writes too.
                where = ("mitaka/expand/" if version is None else "") + ours.name
                theirs = ref_script / "versions" / where
                self.assertTrue(theirs.exists(), made.stdout)
                self.assertEqual(strip(ours.read_text()), strip(theirs.read_text()))
                self.assertEqual(head_lines(after.stdout),
                                 head_lines(alembic(["heads"], cwd=ref, version=version).stdout))


class NestedWithConfigTest(TempDirTestCase):
    """With alembic.ini: what it says; unread nested folders get an info finding."""

    def setUp(self):
        super().setUp()
        require_alembic(self)
        self.proj = self.tmp / "proj"
        self.versions = self.proj / "migrations" / "versions"
        write(self.proj / "alembic.ini", "[alembic]\nscript_location = migrations\n")
        write(self.proj / "migrations" / "script.py.mako", generic_mako())
        write(self.proj / "migrations" / "env.py", "# env\n")
        write(self.versions / "start.py", migration("start", None))
        write(self.versions / "liberty" / "expand" / "e1.py", migration("e1", "start"))

    def test_unread_folder_is_an_info_naming_the_ways_out(self):
        r = run(["check", "--verbose", str(self.proj)], cwd=self.proj)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("migrations/versions/liberty/expand/e1.py:1:1: info: Migrations in "
                      "migrations/versions/liberty/expand are not read", posix_paths(r.stdout))
        self.assertIn("recursive_version_locations = true", r.stdout)
        self.assertIn("`version-locations` in [tool.alembic-lsp]", r.stdout)
        self.assertIn("[unread-migrations]", r.stdout)
        self.assertIn("1 info (unread-migrations: 1)", r.stdout)
        given_ini = run(["check", str(self.proj / "alembic.ini")], cwd=self.proj)
        self.assertIn("1 info (unread-migrations: 1)", given_ini.stdout)
        # Every Alembic reads only versions/ too.
        self.assertEqual(run(["heads", str(self.proj)]).stdout, "start (head)\n")
        for label, version in require_alembic_versions():
            with self.subTest(alembic=label):
                self.assertEqual(run(["heads", str(self.proj)]).stdout,
                                 alembic(["heads"], cwd=self.proj, version=version).stdout)

    def test_version_locations_setting(self):
        write(self.proj / "pyproject.toml",
              '[tool.alembic-lsp]\nversion-locations = { migrations = '
              '["migrations/versions", "migrations/versions/liberty/expand"] }\n')
        r = run(["check", str(self.proj)], cwd=self.proj)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertNotIn("unread-migrations", r.stdout)
        self.assertNotIn("config-warning", r.stdout)
        ours = run(["heads", str(self.proj)])
        self.assertEqual(ours.stdout, "e1 (head)\n")
        # What the project's Python sets up: exactly these folders (each Alembic).
        write(self.tmp / "ref" / "alembic.ini",
              reference_ini(self.proj / "migrations", [self.versions, self.versions / "liberty" / "expand"]))
        for label, version in require_alembic_versions():
            with self.subTest(alembic=label):
                theirs = alembic(["heads"], cwd=self.tmp / "ref", version=version)
                self.assertEqual(theirs.returncode, 0, theirs.stderr)
                self.assertEqual(ours.stdout, theirs.stdout)

    def test_recursive_setting_reads_the_tree(self):
        write(self.proj / "alembic.ini",
              "[alembic]\nscript_location = migrations\nrecursive_version_locations = true\n")
        r = run(["check", str(self.proj)], cwd=self.proj)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertNotIn("unread-migrations", r.stdout)
        self.assertEqual(run(["heads", str(self.proj)]).stdout, "e1 (head)\n")
        # Alembic reads the setting from 1.10 on (1.8.1 ignores it: see the README).
        for label, version in require_alembic_versions()[1:]:
            with self.subTest(alembic=label):
                self.assertEqual(alembic(["heads"], cwd=self.proj, version=version).stdout, "e1 (head)\n")

    def test_missing_parent_outside_the_environment_names_the_file(self):
        write(self.proj / "alembic.ini", "[alembic]\nscript_location = migrations\n"
              "version_locations = %(here)s/migrations/versions/liberty/expand\n")
        repo = GitRepo(self.proj)
        repo.commit("layout")
        r = run(["check", "--verbose", str(self.proj)], cwd=self.proj)
        self.assertEqual(r.returncode, 1, r.stdout)
        lines = r.stdout.splitlines()
        at = [i for i, l in enumerate(lines) if "[missing-revision]" in l]
        self.assertEqual(len(at), 1, r.stdout)
        # The long form (--verbose), under the finding's first line.
        self.assertIn("It exists in migrations/versions/start.py, outside this environment",
                      posix_paths(lines[at[0] + 1]))
        # No guess from git about a deletion: the file is right there.
        self.assertNotIn("git history:", r.stdout)
        self.assertNotIn("shallow", r.stdout)
        # Real Alembic fails on the same parent (each version).
        for label, version in require_alembic_versions():
            with self.subTest(alembic=label):
                theirs = alembic(["heads"], cwd=self.proj, version=version)
                self.assertNotEqual(theirs.returncode, 0, theirs.stdout)
                self.assertIn("start", theirs.stderr)


class HeaderSpellingsTest(TempDirTestCase):
    """Each template style of the `Revises:` line real projects use: merging with it (ours
    and Alembic's) writes a header `check` accepts."""

    STYLES = {
        "alembic-generic": "Revises: ${down_revision | comma,n}",
        "ironic-octavia": "Revises: ${down_revision}",
        "comma-default-filters": "Revises: ${down_revision | comma}",
    }

    def project(self, root, revises_line):
        mako = generic_mako()
        self.assertIn("Revises: ${down_revision | comma,n}", mako)
        write(root / "alembic.ini", "[alembic]\nscript_location = migrations\n")
        write(root / "migrations" / "script.py.mako",
              mako.replace("Revises: ${down_revision | comma,n}", revises_line))
        versions = root / "migrations" / "versions"
        write(versions / "a1_base.py", migration("a1", None))
        write(versions / "b2_one.py", migration("b2", "a1"))
        write(versions / "c3_two.py", migration("c3", "a1"))
        return versions

    def test_each_style(self):
        versions = require_alembic_versions()
        strip = lambda t: [l for l in t.splitlines() if not l.startswith("Create Date:")]
        for style, line in self.STYLES.items():
            ours_root = self.tmp / style / "ours"
            self.project(ours_root, line)
            # The heads named, in one order: Alembic 1.8.1 lists files in os.listdir order.
            r = run(["merge", str(ours_root), "-m", "merge heads", "--rev-id", "dd44", "b2", "c3"])
            self.assertEqual(r.returncode, 0, r.stderr)
            ours = Path(posix_paths(r.stdout.strip())).resolve().read_text()
            check = run(["check", "--format", "json", str(ours_root)])
            codes = [d["code"] for e in json.loads(check.stdout)["environments"] for d in e["diagnostics"]]
            self.assertNotIn("header-mismatch", codes, style)
            self.assertEqual(check.returncode, 0, check.stdout)
            for label, version in versions:
                with self.subTest(style=style, alembic=label):
                    ref_root = self.tmp / style / ("alembic-" + label)
                    ref_versions = self.project(ref_root, line)
                    made = alembic(["merge", "-m", "merge heads", "--rev-id", "dd44", "b2", "c3"],
                                   cwd=ref_root, version=version)
                    self.assertEqual(made.returncode, 0, made.stderr)
                    theirs = (ref_versions / "dd44_merge_heads.py").read_text()
                    revises = [l for l in theirs.splitlines() if l.startswith("Revises:")]
                    self.assertEqual(strip(ours), strip(theirs))
                    check = run(["check", "--format", "json", str(ref_root)])
                    codes = [d["code"] for e in json.loads(check.stdout)["environments"]
                             for d in e["diagnostics"]]
                    self.assertNotIn("header-mismatch", codes, (style, revises))
                    self.assertEqual(check.returncode, 0, check.stdout)
                    if style == "ironic-octavia":
                        self.assertEqual(revises, ["Revises: ('b2', 'c3')"])


    def test_server_merge_action_writes_a_header_check_accepts(self):
        """The merge action with the ironic/octavia template (`Revises: ${down_revision}`)."""
        root = self.tmp / "server"
        versions = self.project(root, self.STYLES["ironic-octavia"])
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(root)
        b2 = versions / "b2_one.py"
        client.wait_diagnostics(b2, lambda ds: any(d.get("code") == "multiple-heads" for d in ds))
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(b2)},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.alembic.mergeHeads"]}})
        self.assertEqual([a["kind"] for a in actions], ["source.alembic.mergeHeads"], actions)
        _, created, _ = apply_workspace_edit(actions[0]["edit"])
        self.assertIn("Revises: ('b2', 'c3')", created[0].read_text())
        client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": path_to_uri(created[0]), "type": 1}]})
        diags = client.wait_diagnostics(b2, lambda ds: not any(d.get("code") == "multiple-heads" for d in ds))
        self.assertEqual(client.diagnostics(created[0]) or [], [])
        check = run(["check", "--format", "json", str(root)])
        self.assertEqual(check.returncode, 0, check.stdout)
        self.assertNotIn("header-mismatch", check.stdout)


class NamesAndSummaryTest(TempDirTestCase):
    def test_merge_by_ini_section(self):
        require_alembic(self)
        proj = self.tmp / "proj"
        write(proj / "alembic.ini", "[alembic]\nscript_location = a\n\n[core]\nscript_location = a\n"
              "version_locations = %(here)s/a/core_versions\n")
        write(proj / "a" / "script.py.mako", generic_mako())
        write(proj / "a" / "versions" / "m1.py", migration("m1", None))
        for rev, down in (("c1", None), ("c2", "c1"), ("c3", "c1")):
            write(proj / "a" / "core_versions" / (rev + ".py"), migration(rev, down))
        r = run(["merge", str(proj), "--name", "core", "-m", "join", "--rev-id", "c4"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(Path(posix_paths(r.stdout.strip())).resolve().parent, proj / "a" / "core_versions")
        self.assertEqual(run(["heads", str(proj), "--name", "core"]).stdout, "c4 (head)\n")
        # Alembic, told the same section, agrees.
        self.assertEqual(alembic(["-n", "core", "heads"], cwd=proj).stdout, "c4 (head)\n")

    def test_ini_section_and_short_path_names(self):
        proj = self.tmp / "proj"
        write(proj / "alembic.ini", "[alembic]\nscript_location = a\n\n[core]\nscript_location = a\n"
              "version_locations = %(here)s/a/core_versions\n")
        write(proj / "a" / "versions" / "m1.py", migration("m1", None))
        write(proj / "a" / "core_versions" / "c1.py", migration("c1", None))
        listed = run(["heads", str(proj), "--name", "nope"])
        self.assertEqual(listed.returncode, 2)
        self.assertIn("a[core]", listed.stderr)
        core = run(["heads", str(proj), "--name", "core"])
        self.assertEqual((core.returncode, core.stdout), (0, "c1 (head)\n"), core.stderr)
        self.assertEqual(run(["heads", str(proj), "--name", "a[core]"]).stdout, "c1 (head)\n")
        self.assertEqual(run(["heads", str(proj), "--name", "a"]).stdout, "m1 (head)\n")

    def test_short_path_name_and_ambiguity(self):
        mono = self.tmp / "mono"
        for svc in ("billing", "audit"):
            write(mono / "services" / svc / "alembic.ini", "[alembic]\nscript_location = migrations\n")
            write(mono / "services" / svc / "migrations" / "versions" / "x.py", migration(svc[:2] + "1", None))
        r = run(["heads", str(mono), "--name", "audit/migrations"])
        self.assertEqual((r.returncode, r.stdout), (0, "au1 (head)\n"), r.stderr)
        both = run(["heads", str(mono), "--name", "migrations"])
        self.assertEqual(both.returncode, 2)
        self.assertIn("several environments answer to 'migrations'", both.stderr)
        self.assertIn("services/audit/migrations", both.stderr)
        self.assertIn("services/billing/migrations", both.stderr)

    def test_summary_counts_per_severity(self):
        proj = self.tmp / "proj"
        versions = proj / "migrations" / "versions"
        write(proj / "alembic.ini", "[alembic]\nscript_location = migrations\n")
        write(versions / "a.py", migration("a", None))
        write(versions / "b.py", migration("b", "a", labels=("one",)))
        write(versions / "c.py", migration("c", "a", labels=("two",)))
        write(versions / "d.py", migration("d", "a").replace("down_revision = 'a'", "down_revision = PREV"))
        r = run(["check", str(proj)])
        self.assertIn("findings: 3 errors (multiple-heads: 3), 1 warning (unresolved-value: 1)\n", r.stdout)


@unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # which commit deleted the merge: git log
class DeletedMergeTest(TempDirTestCase):
    def test_multiple_heads_say_which_commit_deleted_the_merge(self):
        require_alembic(self)
        proj = make_project(self.tmp / "proj", [("a1", None), ("b2", "a1"), ("c3", "a1"),
                                                ("m4", ("b2", "c3"))])
        repo = GitRepo(proj)
        repo.commit("history with a merge")
        self.assertEqual(run(["check", str(proj)]).returncode, 0)
        (proj / "alembic" / "versions" / "m4_m.py").unlink()
        repo.commit("Drop the merge")
        r = run(["check", "--verbose", str(proj)], cwd=proj)
        self.assertEqual(r.returncode, 1, r.stdout)
        out = r.stdout.splitlines()
        lines = [out[i + 1] for i, l in enumerate(out) if "[multiple-heads]" in l]  # the detail
        self.assertTrue(lines, r.stdout)
        for line in lines:
            self.assertRegex(line, r"The merge that joined them is gone: merge m4 "
                                   r"\(alembic/versions/m4_m.py\), which joined b2, c3, was deleted "
                                   r"in commit [0-9a-f]{10} by Test on [0-9-]{10} \(\"Drop the merge\"\)")
        # Outside git nothing can be known: the finding stays as it was.
        shutil.rmtree(proj / ".git")
        self.assertNotIn("is gone", run(["check", "--verbose", str(proj)]).stdout)

    def test_server_diagnostics_say_which_commit_deleted_the_merge(self):
        """The same note, from the same analysis code, in the diagnostics the server
        publishes (looked up in git in the background, then published again)."""
        proj = make_project(self.tmp / "proj", [("a1", None), ("b2", "a1"), ("c3", "a1"),
                                                ("m4", ("b2", "c3"))])
        repo = GitRepo(proj)
        repo.commit("history with a merge")
        (proj / "alembic" / "versions" / "m4_m.py").unlink()
        repo.commit("Drop the merge")
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(proj)
        b2 = proj / "alembic" / "versions" / "b2_m.py"
        noted = lambda ds: any(d.get("code") == "multiple-heads" and "is gone" in d["message"] for d in ds)
        diags = client.wait_diagnostics(b2, noted)
        heads = [d for d in diags if d.get("code") == "multiple-heads"]
        self.assertEqual(len(heads), 1, diags)
        message = heads[0]["message"]
        for phrase in ("merge m4", "alembic/versions/m4_m.py", "b2, c3", "Drop the merge", "by Test"):
            self.assertIn(phrase, message)
        related = [r["message"] for r in heads[0].get("relatedInformation", [])]
        self.assertTrue(any("merge m4" in r and "Drop the merge" in r for r in related), heads[0])
        # A merge written again joins the heads: the error and its note go.
        (proj / "alembic" / "versions" / "m5_m.py").write_text(migration("m5", ("b2", "c3")))
        client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": path_to_uri(proj / "alembic" / "versions" / "m5_m.py"), "type": 1}]})
        client.wait_diagnostics(b2, lambda ds: not any(d.get("code") == "multiple-heads" for d in ds))


class DeletedMergeWithoutGitTest(TempDirTestCase):
    """The same repository, the binary without git (an emptied PATH; under wine,
    alembic-lsp.exe with no git.exe): the heads are reported as they are, with no note
    and nothing on stderr."""

    def test_multiple_heads_without_git(self):
        require_alembic(self)
        proj = make_project(self.tmp / "proj", [("a1", None), ("b2", "a1"), ("c3", "a1"),
                                                ("m4", ("b2", "c3"))])
        repo = GitRepo(proj)
        repo.commit("history with a merge")
        (proj / "alembic" / "versions" / "m4_m.py").unlink()
        repo.commit("Drop the merge")
        r = run(["check", "--verbose", str(proj)], cwd=proj, env=without_git(os.environ))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertEqual(r.stderr, "")
        self.assertEqual(r.stdout.count("[multiple-heads]"), 2, r.stdout)
        self.assertNotIn("is gone", r.stdout)
        self.assertNotIn("Drop the merge", r.stdout)


class ExpectedHeadsKeysTest(TempDirTestCase):
    """`expected-heads` keys name environments as `--name` does: the ini section, a
    trailing part of the path; an unknown or ambiguous key is a config-warning listing
    the choices."""

    def project(self):
        """services/audit: one environment; services/billing: [alembic] and [core]. Every
        environment has two heads."""
        mono = self.tmp / "mono"
        for svc, sections in (("audit", ("versions",)), ("billing", ("versions", "core_versions"))):
            root = mono / "services" / svc
            ini = "[alembic]\nscript_location = migrations\n"
            if "core_versions" in sections:
                ini += ("\n[core]\nscript_location = migrations\n"
                        "version_locations = %(here)s/migrations/core_versions\n")
            write(root / "alembic.ini", ini)
            for folder in sections:
                v = root / "migrations" / folder
                p = svc[:2] + folder[:2]
                write(v / "a.py", migration(p + "a", None))
                write(v / "b.py", migration(p + "b", p + "a"))
                write(v / "c.py", migration(p + "c", p + "a"))
        return mono

    def test_short_names_in_the_table(self):
        mono = self.project()
        write(mono / "pyproject.toml", '[tool.alembic-lsp.expected-heads]\n'
              '"audit/migrations" = 2\ncore = 2\n')
        r = run(["check", "--format", "json", str(mono)])
        envs = {e["name"]: e for e in json.loads(r.stdout)["environments"]}
        severities = {name: sorted({d["severity"] for d in e["diagnostics"] if d["code"] == "multiple-heads"})
                      for name, e in envs.items()}
        self.assertEqual(severities, {
            "services/audit/migrations": ["info"],
            "services/billing/migrations": ["error"],
            "services/billing/migrations[core]": ["info"]}, r.stdout)
        self.assertNotIn("config-warning", r.stdout)

    def test_ambiguous_and_unknown_keys_list_the_choices(self):
        mono = self.project()
        write(mono / "pyproject.toml", '[tool.alembic-lsp.expected-heads]\nmigrations = 2\nauditt = 2\n')
        # --verbose: the choices are listed in the detail line under each first sentence.
        r = run(["check", "--verbose", str(mono)], cwd=mono)
        self.assertEqual(r.returncode, 1, r.stdout)
        lines = r.stdout.splitlines()
        warnings = [l + " " + lines[i + 1] for i, l in enumerate(lines[:-1])
                    if "[config-warning]" in l]
        self.assertEqual(len(warnings), 2, r.stdout)
        ambiguous = [l for l in warnings if "'migrations'" in l][0]
        self.assertIn("pyproject.toml:2:", ambiguous)
        self.assertIn("several environments", ambiguous)
        self.assertIn("'services/audit/migrations', 'services/billing/migrations', "
                      "'services/billing/migrations[core]'", ambiguous)
        unknown = [l for l in warnings if "'auditt'" in l][0]
        self.assertIn("pyproject.toml:3:", unknown)
        for name in ("services/audit/migrations", "services/billing/migrations[core]"):
            self.assertIn("'%s'" % name, unknown)
        # Neither key applied: every environment keeps its multiple-heads error.
        self.assertEqual(r.stdout.count("findings: 2 errors (multiple-heads: 2)"), 3, r.stdout)

    def test_the_server_applies_short_names_too(self):
        mono = self.project()
        write(mono / "pyproject.toml", '[tool.alembic-lsp.expected-heads]\n"audit/migrations" = 2\n')
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(mono)
        audit = mono / "services" / "audit" / "migrations" / "versions" / "b.py"
        billing = mono / "services" / "billing" / "migrations" / "versions" / "b.py"
        info = client.wait_diagnostics(audit, lambda ds: any(d.get("code") == "multiple-heads" for d in ds))
        self.assertEqual({d["severity"] for d in info if d.get("code") == "multiple-heads"}, {3}, info)
        err = client.wait_diagnostics(billing, lambda ds: any(d.get("code") == "multiple-heads" for d in ds))
        self.assertEqual({d["severity"] for d in err if d.get("code") == "multiple-heads"}, {1}, err)


class OutsideNoteWithSettingsTest(TempDirTestCase):
    def test_expected_heads_keeps_the_outside_environment_note(self):
        """`check` with expected-heads set (its settings path) still says where a missing
        parent outside the environment is."""
        proj = self.tmp / "proj"
        versions = proj / "migrations" / "versions"
        write(proj / "alembic.ini", "[alembic]\nscript_location = migrations\n"
              "version_locations = %(here)s/migrations/versions/liberty/expand\n")
        write(versions / "start.py", migration("start", None))
        write(versions / "liberty" / "expand" / "e1.py", migration("e1", "start"))
        write(versions / "liberty" / "expand" / "e2.py", migration("e2", "e1"))
        write(versions / "liberty" / "expand" / "e3.py", migration("e3", "e1"))
        for settings in ("", "[tool.alembic-lsp]\nexpected-heads = 2\n",
                         "[tool.alembic-lsp]\nexpected-heads = { migrations = 2 }\n"):
            with self.subTest(settings=settings):
                write(proj / "pyproject.toml", settings)
                r = run(["check", "--format", "json", str(proj)], cwd=proj)
                diags = json.loads(r.stdout)["environments"][0]["diagnostics"]
                missing = [d for d in diags if d["code"] == "missing-revision"]
                self.assertEqual(len(missing), 1, diags)
                self.assertIn("migrations/versions/start.py", posix_paths(missing[0]["message"]))
                self.assertIn("outside this environment", missing[0]["message"])
                heads = {d["severity"] for d in diags if d["code"] == "multiple-heads"}
                # Without settings a warning (an unknown parent may join the heads).
                self.assertEqual(heads, {"warning"} if not settings else {"info"}, diags)


class PyprojectOnlyTest(TempDirTestCase):
    """A project configured only by `[tool.alembic]` in pyproject.toml: Alembic reads it from
    1.16 on; the Alembic the project pins decides whether that is an error."""

    def project(self, pin):
        proj = self.tmp / "proj"
        write(proj / "pyproject.toml", '[project]\nname = "app"\n\n[tool.alembic]\n'
              'script_location = "migrations"\n')
        write(proj / "migrations" / "script.py.mako", generic_mako())
        write(proj / "migrations" / "versions" / "a1.py", migration("a1", None))
        write(proj / "migrations" / "versions" / "b2.py", migration("b2", "a1"))
        if pin:
            write(proj / "requirements.txt", "alembic==%s\n" % pin)
        return proj

    def test_the_pinned_alembic_decides(self):
        versions = dict(require_alembic_versions())
        for pin, reads in (("1.13.2", False), ("1.18.4", True), (None, True)):
            with self.subTest(pin=pin):
                proj = self.project(pin)
                r = run(["check", str(proj)], cwd=proj)
                theirs = alembic(["heads"], cwd=proj, version=pin or "1.18.4")
                if reads:
                    self.assertEqual(r.returncode, 0, r.stdout)
                    self.assertNotIn("[config-error]", r.stdout)
                    self.assertEqual(theirs.returncode, 0, theirs.stderr)
                    self.assertEqual(theirs.stdout, run(["heads", str(proj)]).stdout)
                else:
                    self.assertEqual(r.returncode, 1, r.stdout)
                    line = [l for l in r.stdout.splitlines() if "[config-error]" in l]
                    self.assertEqual(len(line), 1, r.stdout)
                    self.assertTrue(line[0].startswith("pyproject.toml:4:1: error: Alembic 1.13.2"), line[0])
                    # The first sentence names the version; the detail (--verbose) the rule.
                    detail = run(["check", "--verbose", str(proj)], cwd=proj).stdout
                    self.assertIn("Alembic reads it from 1.16 on", detail)
                    self.assertIn("No config file 'alembic.ini' found", theirs.stdout + theirs.stderr)
                    # Alembic 1.8.1 does not read it either.
                    older = alembic(["heads"], cwd=proj, version=versions["1.8.1"])
                    self.assertIn("No config file 'alembic.ini' found", older.stdout + older.stderr)
                shutil.rmtree(proj)

    def test_server_follows_the_pin(self):
        proj = self.project("1.13.2")
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(proj)
        toml = proj / "pyproject.toml"
        diags = client.wait_diagnostics(toml, lambda ds: any(d.get("code") == "config-error" for d in ds))
        self.assertEqual(diags[0]["range"]["start"]["line"], 3)
        self.assertIn("1.16", diags[0]["message"])
        (proj / "requirements.txt").write_text("alembic==1.18.4\n")
        client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": path_to_uri(proj / "requirements.txt"), "type": 2}]})
        client.wait_diagnostics(toml, lambda ds: not any(d.get("code") == "config-error" for d in ds))


class ServerNestedTest(unittest.TestCase):
    """The language server on a nested tree without a config: diagnostics, definition
    across folders, and the merge action writing into versions/."""

    def setUp(self):
        import tempfile
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-layouts-")).resolve()
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.versions = self.tmp / "migrations" / "versions"
        write(self.versions / "start.py", migration("start", None))
        self.e1 = self.versions / "liberty" / "expand" / "e1.py"
        self.c1 = self.versions / "liberty" / "contract" / "c1.py"
        write(self.e1, migration("e1", "start"))
        write(self.c1, migration("c1", "start"))
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.client.initialize(self.tmp)

    def test_diagnostics_definition_and_merge(self):
        heads = lambda ds: any(d.get("code") == "multiple-heads" for d in ds)
        diags = self.client.wait_diagnostics(self.e1, heads)
        self.assertFalse([d for d in diags if d.get("code") == "missing-revision"], diags)
        text = self.client.open(self.e1)
        line = [i for i, l in enumerate(text.splitlines()) if l.startswith("down_revision")][0]
        col = text.splitlines()[line].index("start") + 1
        where = self.client.request("textDocument/definition", {
            "textDocument": {"uri": path_to_uri(self.e1)}, "position": {"line": line, "character": col}})
        where = where if isinstance(where, list) else [where]
        self.assertEqual([uri_to_path(w.get("uri") or w.get("targetUri")) for w in where],
                         [str(self.versions / "start.py")])
        actions = self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(self.e1)},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.alembic.mergeHeads"]}})
        self.assertEqual([a["kind"] for a in actions], ["source.alembic.mergeHeads"], actions)
        create = actions[0]["edit"]["documentChanges"][0]
        new_file = Path(uri_to_path(create["uri"]))
        self.assertEqual(new_file.parent, self.versions)
        _, created, _ = apply_workspace_edit(actions[0]["edit"])
        self.assertEqual(created, [new_file])
        r = run(["check", "--format", "json", str(self.tmp)])
        env = json.loads(r.stdout)["environments"][0]
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertEqual(env["heads"], [new_file.name.split("_")[0]])


if __name__ == "__main__":
    unittest.main()
