"""heads, branches and merge against Debian's Alembic 1.8.1 (run with /usr/bin/python3 or
$ALEMBIC_LSP_PYTHON; the tests fail, never skip, when Alembic is missing).

Alembic 1.8.1 lists files in os.listdir order and prints Python sets (branch labels,
children) in an order that changes between runs, so lines are compared as multisets and
comma lists inside a line as sets. Everything else must match exactly."""

import re
import shutil
import unittest

from cli_support import (TempDirTestCase, alembic, make_project, migration, native, posix_paths,
                         require_alembic, run)

# (revision, down_revision, branch_labels, depends_on, message)
PROJECTS = {
    "linear": [("a1", None), ("b2", "a1"), ("c3", "b2")],
    "fork": [("a1", None), ("b2", "a1"), ("c3", "a1"), ("d4", "a1")],
    "merged_then_forked": [("a1", None), ("b2", "a1"), ("c3", "a1"), ("m4", ("b2", "c3")),
                           ("e5", "m4"), ("f6", "m4")],
    "labels": [("a1", None, ("core",)), ("b2", "a1"), ("x1", None, ("extra", "plugins")),
               ("x2", "x1"), ("x3", "x1")],
    "depends": [("a1", None), ("b2", "a1"), ("c3", "a1"), ("d4", None, None, ("b2",)),
                ("e5", "c3", None, "d4")],
    "label_depends": [("a1", None, ("expand",)), ("b1", None, ("contract",)),
                      ("b2", "b1", None, "expand")],
    "duplicate": [("a1", None), ("b2", "a1"), ("c3", "b2")],
}


def normalise(text):
    """Lines as a sorted list, comma lists in parentheses and after 'Branches into:' /
    'Branch names:' sorted."""
    def sort_items(items):
        return ", ".join(sorted(items.split(", ")))
    lines = []
    for line in text.splitlines():
        line = re.sub(r"\(([^()]*, [^()]*)\)", lambda m: "(" + sort_items(m.group(1)) + ")", line)
        line = re.sub(r"^(Branches into|Branch names): (.*)$",
                      lambda m: m.group(1) + ": " + sort_items(m.group(2)), line)
        lines.append(line)
    return sorted(lines)


def blocks(text):
    """`alembic branches` output as a sorted list of blocks (each a sorted line list)."""
    return sorted(normalise(b) for b in text.strip("\n").split("\n\n") if b.strip())


class ParityTest(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        cls.alembic_version = require_alembic(cls)

    def project(self, name):
        root = make_project(self.tmp / name, PROJECTS[name])
        if name == "duplicate":  # a copy of c3 under another file name
            versions = root / "alembic" / "versions"
            shutil.copy(versions / "c3_m.py", versions / "c9_copy.py")
        return root

    def both(self, args, cwd):
        theirs = alembic(args, cwd)
        ours = run(args, cwd=cwd)
        self.assertEqual(theirs.returncode, 0, theirs.stderr)
        self.assertEqual(ours.returncode, 0, ours.stderr)
        return theirs.stdout, posix_paths(ours.stdout)

    def test_heads(self):
        for name in PROJECTS:
            with self.subTest(project=name):
                root = self.project(name)
                for extra in ([], ["--resolve-dependencies"]):
                    theirs, ours = self.both(["heads"] + extra, root)
                    self.assertEqual(normalise(ours), normalise(theirs), f"{name} {extra}")
                    self.assertTrue(ours.endswith("\n"))

    def test_heads_verbose(self):
        for name in ("fork", "labels", "depends", "merged_then_forked"):
            with self.subTest(project=name):
                root = self.project(name)
                theirs, ours = self.both(["heads", "--verbose"], root)
                self.assertEqual(normalise(ours), normalise(theirs))

    def test_branches(self):
        for name in PROJECTS:
            with self.subTest(project=name):
                root = self.project(name)
                theirs, ours = self.both(["branches"], root)
                self.assertEqual(blocks(ours), blocks(theirs), f"{name}:\n{ours}\n---\n{theirs}")
                theirs, ours = self.both(["branches", "--verbose"], root)
                self.assertEqual(blocks(ours), blocks(theirs), f"{name} verbose")

    def test_exact_output_when_order_is_fixed(self):
        # One head, one branch point with one child per line: no ordering freedom at all.
        root = make_project(self.tmp / "exact", [("a1", None, ("core",)), ("b2", "a1"), ("c3", "b2")])
        theirs, ours = self.both(["heads"], root)
        self.assertEqual(ours, theirs)
        self.assertEqual(ours, "c3 (core) (head)\n")


def without_create_date(text):
    return re.sub(r"(?m)^Create Date: .*$", "Create Date: <now>", text)


class MergeParityTest(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        require_alembic(cls)

    def pair(self, revisions, ini_extra=""):
        theirs = make_project(self.tmp / "theirs", revisions, ini_extra)
        ours = make_project(self.tmp / "ours", revisions, ini_extra)
        return theirs, ours

    def new_files(self, root, before):
        return sorted(set(p.name for p in (root / "alembic" / "versions").iterdir()) - before)

    def merge_both(self, revisions, args, ini_extra="", our_args=None):
        theirs, ours = self.pair(revisions, ini_extra)
        before = set(p.name for p in (ours / "alembic" / "versions").iterdir())
        a = alembic(["merge"] + args, theirs)
        self.assertEqual(a.returncode, 0, a.stderr)
        o = run(["merge"] + (args if our_args is None else our_args), cwd=ours)
        self.assertEqual(o.returncode, 0, o.stderr)
        their_new, our_new = self.new_files(theirs, before), self.new_files(ours, before)
        self.assertEqual(our_new, their_new)
        self.assertEqual(len(our_new), 1)
        self.assertEqual(o.stdout, native(f"alembic/versions/{our_new[0]}") + "\n")
        their_text = (theirs / "alembic" / "versions" / their_new[0]).read_text()
        our_text = (ours / "alembic" / "versions" / our_new[0]).read_text()
        return their_text, our_text

    def test_named_revisions_byte_for_byte(self):
        revs = [("a1", None), ("b2", "a1"), ("c3", "a1"), ("d4", "a1")]
        for args in (["-m", "merge the three PRs, at last!", "--rev-id", "f00d", "d4", "b2", "c3"],
                     ["--rev-id", "beef", "c3", "b2"],
                     ["-m", "x" * 60, "--rev-id", "0123456789ab", "b2", "d4"]):
            with self.subTest(args=args):
                theirs, ours = self.merge_both(revs, args)
                self.assertEqual(without_create_date(ours), without_create_date(theirs))
                shutil.rmtree(self.tmp / "theirs")
                shutil.rmtree(self.tmp / "ours")

    def test_file_template_and_slug_length(self):
        revs = [("a1", None), ("b2", "a1"), ("c3", "a1")]
        ini = "file_template = %%(rev)s-%%(slug)s\ntruncate_slug_length = 10\n"
        theirs, ours = self.merge_both(revs, ["-m", "merge heads of the project", "--rev-id", "abc", "b2", "c3"], ini)
        self.assertEqual(without_create_date(ours), without_create_date(theirs))
        self.assertTrue((self.tmp / "ours" / "alembic" / "versions" / "abc-merge_.py").exists())

    def assert_same_but_parent_order(self, ours, theirs):
        pattern = r"down_revision = \(([^)]*)\)"
        their_parents = sorted(re.search(pattern, theirs).group(1).split(", "))
        our_parents = sorted(re.search(pattern, ours).group(1).split(", "))
        self.assertEqual(our_parents, their_parents)
        strip = lambda t: re.sub(r"(?m)^(Revises|down_revision).*$", "", without_create_date(t))
        self.assertEqual(strip(ours), strip(theirs))

    def test_heads_keyword_same_parents(self):
        # `heads` expands in load order (os.listdir in 1.8.1): same parents, maybe reordered.
        revs = [("a1", None), ("b2", "a1"), ("c3", "a1"), ("d4", "a1")]
        theirs, ours = self.merge_both(revs, ["-m", "merge", "--rev-id", "cafe", "heads"])
        self.assert_same_but_parent_order(ours, theirs)

    def test_without_revisions_merges_every_head(self):
        # Alembic needs at least one REV; ours without one is `merge heads` (no -m: no message).
        revs = [("a1", None), ("b2", "a1"), ("c3", "a1")]
        theirs, ours = self.merge_both(revs, ["--rev-id", "d00d", "heads"], our_args=["--rev-id", "d00d"])
        self.assert_same_but_parent_order(ours, theirs)
        self.assertIn('"""empty message', ours)

    def test_named_environment(self):
        """merge --name ENV writes what `alembic -n ENV merge` writes: into that section's
        version location, with its file_template and truncate_slug_length."""
        revs = [("a1", None), ("b2", "a1"), ("c3", "a1")]  # [alembic] has two heads too
        ini = ("\n[core]\nscript_location = alembic\nversion_locations = %(here)s/core_versions\n"
               "file_template = core_%%(rev)s_%%(slug)s\ntruncate_slug_length = 12\n")
        theirs, ours = self.pair(revs, ini)
        texts = []
        for root, command in ((theirs, lambda a: alembic(["-n", "core", "merge"] + a, root)),
                              (ours, lambda a: run(["merge", "--name", "core"] + a, cwd=root))):
            core = root / "core_versions"
            core.mkdir()
            for rev, down in (("x1", None), ("x2", "x1"), ("x3", "x1")):
                (core / f"{rev}_m.py").write_text(migration(rev, down))
            main_before = sorted(p.name for p in (root / "alembic" / "versions").iterdir())
            r = command(["-m", "join the core heads, finally", "--rev-id", "c0de", "x2", "x3"])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(sorted(p.name for p in (root / "alembic" / "versions").iterdir()), main_before)
            new = sorted(set(p.name for p in core.iterdir()) - {"x1_m.py", "x2_m.py", "x3_m.py"})
            self.assertEqual(new, ["core_c0de_join_the_.py"], root)
            texts.append((core / new[0]).read_text())
        self.assertEqual(without_create_date(texts[1]), without_create_date(texts[0]))
        self.assertIn("down_revision = ('x2', 'x3')", texts[1])
        # Without --name the project's two environments are ambiguous for merge.
        r = run(["merge", "--rev-id", "dddd", "b2", "c3"], cwd=ours)
        self.assertEqual(r.returncode, 2, r.stdout)
        self.assertIn("--name", r.stderr)


if __name__ == "__main__":
    unittest.main()
