"""Every rule page's example is true: `check --explain CODE` prints the page; the project its
"Example" section shows is written out and `check` must report CODE; then its "Fixed" section
is applied and `check` must report neither CODE nor any error or warning, and real Alembic
must load the fixed history (`alembic heads` exits 0). Every first sentence on the way stays
under 100 characters."""
import json
import re
import subprocess
import unittest

from cli_support import ALEMBIC_PYTHON, TempDirTestCase, require_alembic, run


def codes():
    r = run(["check", "--explain", "no-such-code"])
    assert r.returncode == 2, r
    found = re.findall(r"^  ([a-z]+(?:-[a-z]+)*)  ", r.stderr, re.M)
    assert len(found) >= 17, r.stderr
    return found


def section(page, title):
    m = re.search(r"^## " + title + r"\n\n(.*?)(?=^## |^\(Generated)", page, re.S | re.M)
    return m.group(1) if m else None


def blocks(markdown):
    """[(path, text or None for a deletion)] from the page's "`path`:" + fenced blocks."""
    out = []
    for m in re.finditer(r"^`([^`]+)`:\n\n```[a-z]*\n(.*?)^```$|^Delete `([^`]+)`\.$",
                         markdown, re.S | re.M):
        out.append((m.group(1), m.group(2)) if m.group(1) else (m.group(3), None))
    return out


def apply(root, files):
    for path, text in files:
        target = root / path
        if text is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)


def findings(root):
    # --lint all: the operation codes' examples are read like every other code's.
    r = run(["check", "--format", "json", "--lint", "all", str(root)], cwd=root)
    if r.returncode not in (0, 1):
        raise AssertionError(f"check exited {r.returncode}: {r.stderr}")
    data = json.loads(r.stdout)
    out = []
    for env in data.get("environments", []):
        out += [(d["code"], d["severity"], d["summary"]) for d in env.get("diagnostics", [])]
    out += [(d["code"], d["severity"], d.get("summary", d.get("message")))
            for d in data.get("diagnostics", [])]
    return out


class RuleExamplesTest(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        require_alembic(cls)

    def test_every_example_shows_its_code_and_its_fix_removes_it(self):
        tested = 0
        for code in codes():
            with self.subTest(code=code):
                page = run(["check", "--explain", code])
                self.assertEqual(page.returncode, 0, page.stderr)
                example = section(page.stdout, "Example")
                self.assertTrue(example, f"{code}: the page has no Example section")
                setup = blocks(example)
                if not setup:  # prose: the situation cannot be written as files
                    self.assertIsNone(section(page.stdout, "Fixed"), code)
                    continue
                fixed = blocks(section(page.stdout, "Fixed") or "")
                self.assertTrue(fixed, f"{code}: the example has no Fixed section")
                root = self.tmp / code
                root.mkdir()
                (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
                apply(root, setup)
                before = findings(root)
                self.assertIn(code, [c for c, _, _ in before], f"{code}: {before}")
                # Every first sentence fits an editor's Problems panel, whatever the code
                # (test_messages covers the graph findings of generated histories).
                for c, _, summary in before:
                    self.assertLess(len(summary), 100, f"{c}: {summary}")
                apply(root, fixed)
                after = findings(root)
                self.assertNotIn(code, [c for c, _, _ in after], f"{code}: {after}")
                self.assertEqual([f for f in after if f[1] in ("error", "warning")], [],
                                 f"{code}: the fixed example still has problems")
                heads = subprocess.run([ALEMBIC_PYTHON, "-m", "alembic", "heads"], cwd=root,
                                       capture_output=True, text=True, timeout=120)
                self.assertEqual(heads.returncode, 0,
                                 f"{code}: real Alembic cannot load the fixed example: "
                                 f"{heads.stderr[-600:]}")
                tested += 1
        self.assertGreaterEqual(tested, 16)


if __name__ == "__main__":
    unittest.main()
