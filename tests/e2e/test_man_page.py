"""The manual page (docs/man/alembic-lsp.1, installed gzipped) renders with man-db's
`man -l` and groff without a warning, has its sections, and documents what the binary
offers: every command, every long option of each command's --help, every finding code."""
import gzip
import json
import os
import re
import shutil
import subprocess
import unittest
from pathlib import Path

from cli_support import BINARY, SOURCE_DIR, run

PAGE = SOURCE_DIR / "docs" / "man" / "alembic-lsp.1"
SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "SETTINGS", "FINDING CODES",
            "RULE PAGES", "EXIT STATUS", "EXAMPLES", "DIFFERENCES FROM ALEMBIC", "SEE ALSO"]
COMMANDS = ["serve", "check", "heads", "branches", "merge", "revision", "graph", "operations"]


def source_text():
    """The page's source with troff's escaped hyphens as plain ones."""
    return PAGE.read_text().replace("\\-", "-")


def section(text, name):
    match = re.search(rf"^\.SH \"?{re.escape(name)}\"?\n(.*?)(?=^\.SH |\Z)", text, re.S | re.M)
    return match.group(1) if match else ""


class ManPageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool, package in (("man", "man-db"), ("lexgrog", "man-db"), ("groff", "groff-base")):
            if shutil.which(tool) is None:
                raise AssertionError(f"{tool} is needed to render the man page: apt-get install {package}")

    def render(self, path):
        env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MANPAGER="cat", PAGER="cat")
        r = subprocess.run(["man", "--warnings", "-l", str(path)], capture_output=True, text=True,
                           env=env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "", f"man --warnings -l {path} warned")
        return r.stdout

    def test_renders_without_warnings_with_its_sections(self):
        out = self.render(PAGE)
        headings = [line for line in out.splitlines() if re.match(r"^[A-Z][A-Z ]+$", line)]
        self.assertEqual(headings, SECTIONS)
        r = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8", str(PAGE)],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        # whatis/apropos read the NAME line through lexgrog.
        r = subprocess.run(["lexgrog", str(PAGE)], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn('"alembic-lsp - language server', r.stdout)

    def test_installed_gzipped_page_renders_the_same(self):
        # The build writes BUILD/alembic-lsp.1.gz (installed into man1) beside BUILD/server/.
        gz = Path(BINARY).resolve().parent.parent / "alembic-lsp.1.gz"
        self.assertTrue(gz.is_file(), f"{gz} not built (the alembic_lsp_man target; needs gzip)")
        self.assertEqual(gzip.decompress(gz.read_bytes()), PAGE.read_bytes())
        self.assertEqual(self.render(gz), self.render(PAGE))

    def test_documents_every_command_option_and_finding_code(self):
        text = source_text()
        commands = section(text, "COMMANDS")
        for command in COMMANDS:
            self.assertTrue(f".B {command}\n" in commands, f"command {command} not in COMMANDS")
        for command in COMMANDS:
            helped = run([command, "--help"])
            self.assertEqual(helped.returncode, 0, helped.stderr)
            for option in sorted(set(re.findall(r"--[a-z][a-z-]+", helped.stdout)) - {"--help"}):
                with self.subTest(command=command, option=option):
                    self.assertTrue(option in text, f"{command} {option} is not in the man page")
        sarif = run(["check", "--format", "sarif", str(SOURCE_DIR / "examples" / "clean")])
        self.assertEqual(sarif.returncode, 0, sarif.stderr)
        codes = {r["id"] for r in json.loads(sarif.stdout)["runs"][0]["tool"]["driver"]["rules"]}
        self.assertGreater(len(codes), 10)
        listed = set(re.findall(r"^\.BR ([a-z-]+) [,.]$", section(text, "FINDING CODES"), re.M))
        self.assertEqual(listed, codes)


if __name__ == "__main__":
    unittest.main()
