"""The usage lines are the same in the three places a user reads them: each command's
`--help`, the README's "Command line" block and the man page's SYNOPSIS (rendered by
man-db's `man -l`, as a user sees it). Each usage line also names every option its
command's `--help` lists, so a new option cannot be left out of all three together."""
import os
import re
import shutil
import subprocess
import unittest

from cli_support import BINARY, SOURCE_DIR, run

COMMANDS = ["check", "operations", "heads", "branches", "merge", "revision", "graph", "serve"]
README = SOURCE_DIR / "README.md"
MAN_PAGE = SOURCE_DIR / "docs" / "man" / "alembic-lsp.1"


def normalise(entry):
    """One usage line: the typographic hyphens and minus signs a man page may render
    become '-', whitespace (line continuations, alignment) collapses to one space."""
    entry = entry.replace("\u2010", "-").replace("\u2212", "-").replace("\u2011", "-")
    return " ".join(entry.split())


def split_entries(lines):
    """Lines that start with `alembic-lsp` begin a usage line; indented ones continue it."""
    entries = []
    for line in lines:
        if not line.strip():
            continue
        if line.lstrip().startswith("alembic-lsp"):
            entries.append(line)
        elif entries:
            entries[-1] += " " + line
        else:
            raise AssertionError(f"a continuation line before any usage line: {line!r}")
    return [normalise(e) for e in entries]


def help_usage(command):
    """The usage lines at the top of `alembic-lsp COMMAND --help`, up to the first blank line."""
    r = run([command, "--help"])
    if r.returncode != 0:
        raise AssertionError(f"{command} --help exited {r.returncode}: {r.stderr}")
    head = r.stdout.split("\n\n", 1)[0]
    if not head.startswith("usage: "):
        raise AssertionError(f"{command} --help does not start with 'usage: ': {head!r}")
    return split_entries(head[len("usage: "):].replace("\n       alembic-lsp", "\nalembic-lsp").splitlines()), r.stdout


def readme_usage():
    text = README.read_text()
    match = re.search(r"^## Command line\n\n```\n(.*?)^```", text, re.S | re.M)
    if not match:
        raise AssertionError("README.md has no fenced block right under '## Command line'")
    return split_entries(match.group(1).splitlines())


def man_usage():
    env = dict(os.environ, MANWIDTH="250", LC_ALL="C.UTF-8", MANPAGER="cat", PAGER="cat")
    r = subprocess.run(["man", "-l", str(MAN_PAGE)], capture_output=True, text=True, env=env, timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"man -l {MAN_PAGE} exited {r.returncode}: {r.stderr}")
    # Bold and underline come as backspace overstrikes when output is not a terminal.
    out = re.sub(r".\x08", "", r.stdout)
    match = re.search(r"^SYNOPSIS\n(.*?)^\S", out, re.S | re.M)
    if not match:
        raise AssertionError("the rendered man page has no SYNOPSIS section")
    return split_entries(match.group(1).splitlines())


def command_of(entry):
    words = entry.split()
    return "serve" if words[1] in ("[serve]", "serve") or words[1].startswith("[--") else words[1]


class UsageLinesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if shutil.which("man") is None:
            raise AssertionError("man is needed to render the man page: apt-get install man-db groff-base")
        cls.helps = {}
        cls.help_entries = []
        for command in COMMANDS:
            entries, text = help_usage(command)
            cls.helps[command] = text
            cls.help_entries += entries

    def test_every_command_has_a_usage_line(self):
        self.assertEqual(sorted({command_of(e) for e in self.help_entries}), sorted(COMMANDS))

    def test_readme_matches_help(self):
        readme = readme_usage()
        self.assertEqual(len(readme), len(set(readme)), "a usage line twice in the README")
        self.assertEqual(sorted(readme), sorted(self.help_entries),
                         "README.md's 'Command line' block differs from the --help usage lines")

    def test_man_page_matches_help(self):
        man = man_usage()
        self.assertEqual(len(man), len(set(man)), "a usage line twice in the man page's SYNOPSIS")
        self.assertEqual(sorted(man), sorted(self.help_entries),
                         "the man page's SYNOPSIS differs from the --help usage lines")

    def test_usage_names_every_listed_option(self):
        for command in COMMANDS:
            usage = " ".join(e for e in self.help_entries if command_of(e) == command)
            options = self.helps[command].split("\noptions:\n", 1)
            self.assertEqual(len(options), 2, f"{command} --help has no 'options:' list")
            listed = set(re.findall(r"^  (-[-a-zA-Z]+)(?:, (--[a-z-]+))?", options[1], re.M))
            for short, long in listed:
                for option in filter(None, (short, long)):
                    if option in ("-h", "--help"):
                        continue
                    with self.subTest(command=command, option=option):
                        self.assertRegex(usage, rf"(?<![\w-]){re.escape(option)}(?![\w-])",
                                         f"{command} --help lists {option}, its usage line does not")


if __name__ == "__main__":
    unittest.main()
