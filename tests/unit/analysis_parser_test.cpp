// parse_migration and MigrationDocument: every syntax form of the four Alembic names,
// docstring headers, odd bytes, syntax errors, and cold path == document.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "analysis/parser.h"
#include "parse_test_support.h"

using namespace alembic;
using alembic::testing::parse_both;
using alembic::testing::range_of;
using alembic::testing::strings;

TEST(Parser, AlembicTemplate18) {
  const std::string src =
      "\"\"\"add users\n\nRevision ID: 1975ea83b712\nRevises: 0064\n"
      "Create Date: 2024-01-02 10:11:12.123456\n\n\"\"\"\n"
      "from alembic import op\nimport sqlalchemy as sa\n\n\n"
      "# revision identifiers, used by Alembic.\n"
      "revision = '1975ea83b712'\ndown_revision = '0064'\nbranch_labels = None\n"
      "depends_on = None\n\n\ndef upgrade():\n    op.create_table('users')\n";
  ParsedMigration p = parse_both(src);
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"1975ea83b712"});
  EXPECT_EQ(p.revision.strings[0].range, range_of(src, "'1975ea83b712'"));
  EXPECT_EQ(p.revision.name_range, range_of(src, "revision =", 0, 8));
  EXPECT_EQ(strings(p.down_revision), std::vector<std::string>{"0064"});
  EXPECT_FALSE(p.down_revision.is_sequence);
  EXPECT_TRUE(p.branch_labels.present);
  EXPECT_TRUE(p.branch_labels.is_none);
  EXPECT_TRUE(p.depends_on.is_none);
  EXPECT_EQ(p.depends_on.value_range, range_of(src, "None", 1));
  ASSERT_TRUE(p.docstring.present);
  EXPECT_EQ(p.docstring.message, "add users");
  ASSERT_TRUE(p.docstring.revision_id);
  EXPECT_EQ(p.docstring.revision_id->text, "1975ea83b712");
  EXPECT_EQ(p.docstring.revision_id->range, range_of(src, "1975ea83b712"));
  ASSERT_EQ(p.docstring.revises.size(), 1u);
  EXPECT_EQ(p.docstring.revises[0].range, range_of(src, "0064"));
  ASSERT_TRUE(p.docstring.create_date);
  EXPECT_EQ(p.docstring.create_date->text, "2024-01-02 10:11:12.123456");
  EXPECT_TRUE(p.syntax_errors.empty());
}

TEST(Parser, AnnotatedTemplate) {
  const std::string src =
      "\"\"\"msg\n\nRevision ID: ab12\nRevises: \nCreate Date: x\n\"\"\"\n"
      "from typing import Sequence, Union\n\n"
      "revision: str = \"ab12\"\n"
      "down_revision: Union[str, Sequence[str], None] = None\n"
      "branch_labels: Union[str, Sequence[str], None] = (\"expand\",)\n"
      "depends_on: Union[str, Sequence[str], None] = [\"x1\", 'x2']\n";
  ParsedMigration p = parse_both(src);
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"ab12"});
  EXPECT_TRUE(p.down_revision.is_none);
  EXPECT_TRUE(p.branch_labels.is_sequence);
  EXPECT_EQ(strings(p.branch_labels), std::vector<std::string>{"expand"});
  EXPECT_EQ(p.branch_labels.value_range, range_of(src, "(\"expand\",)"));
  EXPECT_EQ(strings(p.depends_on), (std::vector<std::string>{"x1", "x2"}));
  EXPECT_TRUE(p.docstring.has_revises);
  EXPECT_TRUE(p.docstring.revises.empty());
}

TEST(Parser, TupleForms) {
  const std::string src =
      "revision = 'm'\n"
      "down_revision = \"a\", \"b\"\n"
      "branch_labels = ('only',)\n"
      "depends_on = (\n    'd1',  # first\n    'd2',\n)\n";
  ParsedMigration p = parse_both(src);
  EXPECT_TRUE(p.down_revision.is_sequence);
  EXPECT_EQ(strings(p.down_revision), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p.down_revision.strings[1].range, range_of(src, "\"b\""));
  EXPECT_TRUE(p.branch_labels.is_sequence);
  EXPECT_EQ(strings(p.branch_labels), std::vector<std::string>{"only"});
  EXPECT_EQ(strings(p.depends_on), (std::vector<std::string>{"d1", "d2"}));
  EXPECT_EQ(p.depends_on.strings[1].range, range_of(src, "'d2'"));
  EXPECT_EQ(p.depends_on.strings[1].range.start_line, 5u);
  EXPECT_EQ(p.depends_on.strings[1].range.start_column, 4u);
}

TEST(Parser, EmptySequencesAndNone) {
  for (const char* rhs : {"()", "[]", "None", "(None)"}) {
    std::string src = std::string("revision = 'x'\ndown_revision = ") + rhs + "\n";
    ParsedMigration p = parse_both(src);
    EXPECT_TRUE(p.down_revision.present) << rhs;
    EXPECT_TRUE(p.down_revision.strings.empty()) << rhs;
    EXPECT_TRUE(p.down_revision.unresolved.empty()) << rhs;
    EXPECT_EQ(p.down_revision.is_none, std::string(rhs).find("None") != std::string::npos) << rhs;
    EXPECT_EQ(p.down_revision.is_sequence, rhs[1] == ')' || rhs[1] == ']') << rhs;
  }
  ParsedMigration trailing = parse_both("down_revision = 'a',\n");
  EXPECT_TRUE(trailing.down_revision.is_sequence);
  EXPECT_EQ(strings(trailing.down_revision), std::vector<std::string>{"a"});
}

TEST(Parser, QuotesPrefixesAndEscapes) {
  const std::string src =
      "revision = '''tri'''\n"
      "down_revision = (r'a\\d', u\"b\", \"\"\"c\"\"\", 'e\\x41\\n\\u00e9', 'q\\'s')\n"
      "branch_labels = b'bytes'\n"
      "depends_on = (f'x{y}', 'ok')\n";
  ParsedMigration p = parse_both(src);
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"tri"});
  EXPECT_EQ(strings(p.down_revision),
            (std::vector<std::string>{"a\\d", "b", "c", "eA\n\xC3\xA9", "q's"}));
  EXPECT_TRUE(p.branch_labels.strings.empty());
  ASSERT_EQ(p.branch_labels.unresolved.size(), 1u);
  EXPECT_EQ(p.branch_labels.unresolved[0].expression, "b'bytes'");
  ASSERT_EQ(p.depends_on.unresolved.size(), 1u);
  EXPECT_EQ(p.depends_on.unresolved[0].expression, "f'x{y}'");
  EXPECT_EQ(strings(p.depends_on), std::vector<std::string>{"ok"});
}

TEST(Parser, ImplicitConcatenation) {
  const std::string src = "revision = \"ab\" 'cd'\ndown_revision = (\n    \"x\"\n    \"y\"\n)\n";
  ParsedMigration p = parse_both(src);
  ASSERT_EQ(p.revision.strings.size(), 1u);
  EXPECT_EQ(p.revision.strings[0].text, "abcd");
  EXPECT_EQ(p.revision.strings[0].range, range_of(src, "\"ab\" 'cd'"));
  ASSERT_EQ(p.down_revision.strings.size(), 1u);
  EXPECT_FALSE(p.down_revision.is_sequence);
  EXPECT_EQ(p.down_revision.strings[0].text, "xy");
  EXPECT_EQ(p.down_revision.strings[0].range, range_of(src, "\"x\"\n    \"y\""));
}

TEST(Parser, NamesResolvedAndUnresolved) {
  const std::string src =
      "from x import cli\nREV = \"abc\"\nOTHER: str = 'o'\n"
      "revision = REV\n"
      "down_revision = (OTHER, REV, unknown)\n"
      "branch_labels = (cli.EXPAND_BRANCH,)\n"
      "depends_on = make(1)\n";
  ParsedMigration p = parse_both(src);
  ASSERT_EQ(p.revision.strings.size(), 1u);
  EXPECT_EQ(p.revision.strings[0].text, "abc");
  EXPECT_EQ(p.revision.strings[0].range, range_of(src, "REV", 1));
  EXPECT_EQ(strings(p.down_revision), (std::vector<std::string>{"o", "abc"}));
  EXPECT_EQ(p.down_revision.strings[0].range, range_of(src, "OTHER", 1));
  ASSERT_EQ(p.down_revision.unresolved.size(), 1u);
  EXPECT_EQ(p.down_revision.unresolved[0].expression, "unknown");
  ASSERT_EQ(p.branch_labels.unresolved.size(), 1u);
  EXPECT_EQ(p.branch_labels.unresolved[0].expression, "cli.EXPAND_BRANCH");
  EXPECT_EQ(p.branch_labels.unresolved[0].range, range_of(src, "cli.EXPAND_BRANCH"));
  ASSERT_EQ(p.depends_on.unresolved.size(), 1u);
  EXPECT_EQ(p.depends_on.unresolved[0].expression, "make(1)");
}

TEST(Parser, RebindingToNonStringUnresolves) {
  ParsedMigration p = parse_both(
      "A = 'a'\nB = 'b'\nC = 'c'\nA = compute()\nB += 'x'\nrevision = (A, B, C)\n"
      "C = 'later'\n");
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"c"});
  ASSERT_EQ(p.revision.unresolved.size(), 2u);
  EXPECT_EQ(p.revision.unresolved[0].expression, "A");
  EXPECT_EQ(p.revision.unresolved[1].expression, "B");
  ParsedMigration chain = parse_both("X = down_revision = 'p'\nrevision = X\n");
  EXPECT_EQ(strings(chain.down_revision), std::vector<std::string>{"p"});
  EXPECT_EQ(strings(chain.revision), std::vector<std::string>{"p"});
}

TEST(Parser, NameReboundInModuleLevelBlockUnresolves) {
  // Under a module-level if / try / for / with the rebinding may run: the literal no
  // longer decides. Under def or class it binds something else and changes nothing.
  ParsedMigration p = parse_both(
      "A = 'a'\nB = 'b'\nC = 'c'\nD = 'd'\n"
      "if flag:\n    pass\nelse:\n    A = 'x'\n"
      "try:\n    import y\nexcept ImportError:\n    B: str = 'y'\n"
      "def f():\n    C = 'z'\n"
      "class K:\n    D = 'w'\n"
      "revision = (A, B, C, D)\n");
  EXPECT_EQ(strings(p.revision), (std::vector<std::string>{"c", "d"}));
  ASSERT_EQ(p.revision.unresolved.size(), 2u);
  EXPECT_EQ(p.revision.unresolved[0].expression, "A");
  EXPECT_EQ(p.revision.unresolved[1].expression, "B");
}

TEST(Parser, OnlyModuleLevelAndLastWins) {
  const std::string src =
      "revision = 'first'\n"
      "if TYPE_CHECKING:\n    revision = 'in_if'\n"
      "def f():\n    down_revision = 'in_def'\n"
      "class C:\n    branch_labels = 'in_class'\n"
      "if x: depends_on = 'one_line_if'\n"
      "revision = 'second'\n";
  ParsedMigration p = parse_both(src);
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"second"});
  EXPECT_EQ(p.revision.name_range.start_line, 8u);
  EXPECT_FALSE(p.down_revision.present);
  EXPECT_FALSE(p.branch_labels.present);
  EXPECT_FALSE(p.depends_on.present);
}

TEST(Parser, SemicolonsAndContinuations) {
  ParsedMigration p =
      parse_both("import os; revision = 'a'; down_revision = \\\n    'b'\nx = [1,\n revision]\n");
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"a"});
  EXPECT_EQ(strings(p.down_revision), std::vector<std::string>{"b"});
}

TEST(Parser, NotAssignments) {
  ParsedMigration p = parse_both(
      "revision == 'x'\nrevision.y = 'z'\nrevision[0] = 'q'\nrevision: str\n"
      "s = 'revision = \"no\"'\n# revision = 'comment'\n\"\"\"\nrevision = 'in string'\n\"\"\"\n");
  EXPECT_FALSE(p.revision.present);
}

TEST(Parser, DocstringAfterImportAndComments) {
  const std::string src =
      "# -*- coding: utf-8 -*-\nfrom __future__ import annotations\n"
      "\"\"\"Add index\n\nRevision ID: 3f\nRevises: 1a, 2b\n\"\"\"\nrevision = '3f'\n"
      "'not a docstring'\n";
  ParsedMigration p = parse_both(src);
  ASSERT_TRUE(p.docstring.present);
  EXPECT_EQ(p.docstring.message, "Add index");
  EXPECT_EQ(p.docstring.range.start_line, 2u);
  ASSERT_EQ(p.docstring.revises.size(), 2u);
  EXPECT_EQ(p.docstring.revises[0].text, "1a");
  EXPECT_EQ(p.docstring.revises[1].range, range_of(src, "2b"));
  ParsedMigration late = parse_both("revision = 'a'\n\"\"\"Revision ID: zz\"\"\"\n");
  EXPECT_FALSE(late.docstring.present);
  ParsedMigration bytes_first = parse_both("b'x'\n'''real\n\nRevision ID: r1'''\n");
  ASSERT_TRUE(bytes_first.docstring.present);
  EXPECT_EQ(bytes_first.docstring.message, "real");
}

TEST(Parser, StaleHeaderIsReportedAsWritten) {
  ParsedMigration p = parse_both(
      "\"\"\"m\n\nRevision ID: aaa\nRevises: old1\n\"\"\"\nrevision = 'bbb'\n"
      "down_revision = 'new1'\n");
  EXPECT_EQ(p.docstring.revision_id->text, "aaa");
  EXPECT_EQ(p.docstring.revises[0].text, "old1");
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"bbb"});
  EXPECT_EQ(strings(p.down_revision), std::vector<std::string>{"new1"});
}

TEST(Parser, CrlfAndBom) {
  const std::string src =
      "\xEF\xBB\xBF\"\"\"Crlf msg\r\nsecond line\r\n\r\nRevision ID: c1\r\nRevises: p1, "
      "p2\r\n\"\"\"\r\n"
      "revision = 'c1'\r\ndown_revision = (\r\n    'p1',\r\n    'p2',\r\n)\r\n";
  ParsedMigration p = parse_both(src);
  ASSERT_TRUE(p.docstring.present);
  EXPECT_EQ(p.docstring.range.start_column, 3u);
  EXPECT_EQ(p.docstring.message, "Crlf msg\nsecond line");
  EXPECT_EQ(p.docstring.revision_id->range, range_of(src, "c1"));
  EXPECT_EQ(p.docstring.revises[1].range, range_of(src, "p2"));
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"c1"});
  EXPECT_EQ(strings(p.down_revision), (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(p.down_revision.strings[1].range, range_of(src, "'p2'"));
  EXPECT_TRUE(p.syntax_errors.empty());
}

TEST(Parser, NonAsciiColumnsAreBytes) {
  const std::string src =
      "\"\"\"Ajouté l'échéance 🎉\n\nRevision ID: é1\nRevises: 🎉x\n\"\"\"\n"
      "revision = 'é1'  # café\ndown_revision = ('🎉x', \"ü\")\n";
  ParsedMigration p = parse_both(src);
  EXPECT_EQ(p.docstring.message, "Ajouté l'échéance 🎉");
  EXPECT_EQ(p.docstring.revision_id->range, range_of(src, "é1"));
  EXPECT_EQ(p.docstring.revises[0].range, range_of(src, "🎉x"));
  EXPECT_EQ(strings(p.down_revision), (std::vector<std::string>{"🎉x", "ü"}));
  EXPECT_EQ(p.down_revision.strings[1].range, range_of(src, "\"ü\""));
  EXPECT_EQ(p.down_revision.strings[1].range.start_column, 26u);
}

TEST(Parser, InvalidUtf8NulAndTabs) {
  using namespace std::string_literals;
  const std::string src =
      "revision = 'a\xFF\xFE'\n\tx = 1\nz = '\0'\ndown_revision = 'd'  # \0 nul\n"s;
  ParsedMigration p = parse_both(src);
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"a\xFF\xFE"});
  EXPECT_EQ(strings(p.down_revision), std::vector<std::string>{"d"});
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 7919) % 256));
  parse_both(junk);
  parse_both(std::string(1000, '\0'));
  parse_both("");
}

TEST(Parser, SyntaxErrorsStillReadTheRest) {
  const std::string src =
      "revision = 'ok'\ndown_revision = ('a',\nbranch_labels = 'still'\n"
      "def upgrade(:\n    pass\ndepends_on = 'after'\n";
  ParsedMigration p = parse_both(src);
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"ok"});
  EXPECT_TRUE(p.down_revision.present);
  EXPECT_FALSE(p.syntax_errors.empty());
  // The unclosed '(' makes the rest of the file one logical line, as for Python.
  EXPECT_FALSE(p.depends_on.present);

  const std::string src2 = "revision = 'r' +\ndown_revision = 'd'\ndef f(:\n    pass\n";
  ParsedMigration q = parse_both(src2);
  EXPECT_TRUE(q.revision.present);
  EXPECT_TRUE(q.revision.strings.empty());
  EXPECT_EQ(strings(q.down_revision), std::vector<std::string>{"d"});
  ASSERT_FALSE(q.syntax_errors.empty());
  EXPECT_EQ(q.syntax_errors[0].range.start_line, 0u);

  ParsedMigration r = parse_both("revision = 'x\ndown_revision = 'y'\n");
  EXPECT_TRUE(r.revision.present);
  EXPECT_TRUE(r.revision.strings.empty());
  EXPECT_EQ(strings(r.down_revision), std::vector<std::string>{"y"});
}

TEST(Parser, DeepNestingAndLargeInput) {
  std::string deep =
      "revision = " + std::string(20000, '(') + "'x'" + std::string(20000, ')') + "\n";
  parse_both(deep);
  std::string big = "revision = 'big'\n";
  while (big.size() < 10 * 1024 * 1024) big += "def f():\n    op.execute('''x = \"y\"''')  # c\n";
  ParsedMigration p = parse_migration(big);
  EXPECT_EQ(strings(p.revision), std::vector<std::string>{"big"});
}

TEST(Document, EditsAndMoves) {
  MigrationDocument doc("revision = 'a'\ndown_revision = None\n");
  EXPECT_EQ(strings(doc.parsed().revision), std::vector<std::string>{"a"});
  doc.edit(12, 13, "bcd");
  EXPECT_EQ(doc.text(), "revision = 'bcd'\ndown_revision = None\n");
  EXPECT_EQ(strings(doc.parsed().revision), std::vector<std::string>{"bcd"});
  doc.edit(1000, 2000, "depends_on = 'z'\n");  // clamped to an append
  EXPECT_EQ(strings(doc.parsed().depends_on), std::vector<std::string>{"z"});
  MigrationDocument moved(std::move(doc));
  EXPECT_EQ(strings(moved.parsed().revision), std::vector<std::string>{"bcd"});
  doc = std::move(moved);
  doc.set_text("revision = ('q',)\n");
  EXPECT_TRUE(doc.parsed().revision.is_sequence);
  EXPECT_FALSE(doc.parsed().down_revision.present);
}

TEST(Parser, LenientTreeSitterDoesNotOverrule) {
  // tree-sitter reads these without an error; Python does not run them as module-level
  // bindings (IndentationError / SyntaxError), and neither path reads them.
  ParsedMigration indented = parse_both("revision = 'a'\n    down_revision = 'b'\n");
  EXPECT_FALSE(indented.down_revision.present);
  ParsedMigration dangling = parse_both("x = os.\nrevision = 'r'\ndown_revision = 'd'\n");
  EXPECT_EQ(strings(dangling.down_revision), std::vector<std::string>{"d"});
}

TEST(Parser, DocstringEscapesAndConcatenationKeepRanges) {
  const std::string src =
      "'''Caf\\u00e9 \\N{BULLET} ok\\n\\nRevision ID: \\x61bc\n'''  'Revises: p9'\n";
  ParsedMigration p = parse_both(src);
  ASSERT_TRUE(p.docstring.present);
  EXPECT_EQ(p.docstring.message, "Caf\xC3\xA9 \\N{BULLET} ok");
  ASSERT_TRUE(p.docstring.revision_id);
  EXPECT_EQ(p.docstring.revision_id->text, "abc");
  EXPECT_EQ(p.docstring.revision_id->range, range_of(src, "\\x61bc"));
  ASSERT_EQ(p.docstring.revises.size(), 1u);
  EXPECT_EQ(p.docstring.revises[0].range, range_of(src, "p9"));
  EXPECT_EQ(p.docstring.range, range_of(src, src.substr(0, src.find("p9'") + 3)));
}

TEST(Parser, AssignmentOddities) {
  ParsedMigration p = parse_both(
      "revision: str\nrevision += 'x'\ndown_revision = '\\N{BULLET}'\n"
      "branch_labels = (('a'), ('b',), None)\ndepends_on = 'a' if x else 'b'\n");
  EXPECT_TRUE(p.revision.present);
  ASSERT_EQ(p.revision.unresolved.size(), 1u);
  EXPECT_EQ(p.revision.unresolved[0].expression, "revision += 'x'");
  ASSERT_EQ(p.down_revision.unresolved.size(), 1u);
  EXPECT_EQ(p.down_revision.unresolved[0].expression, "'\\N{BULLET}'");
  EXPECT_EQ(strings(p.branch_labels), std::vector<std::string>{"a"});
  ASSERT_EQ(p.branch_labels.unresolved.size(), 2u);
  EXPECT_EQ(p.branch_labels.unresolved[0].expression, "('b',)");
  EXPECT_EQ(p.branch_labels.unresolved[1].expression, "None");
  ASSERT_EQ(p.depends_on.unresolved.size(), 1u);
  EXPECT_EQ(p.depends_on.unresolved[0].expression, "'a' if x else 'b'");
  ParsedMigration declared = parse_both("revision: str\n");
  EXPECT_FALSE(declared.revision.present);
}

TEST(Parser, ThreadsShareNothing) {
  const std::string src = "revision = 'abc'\ndown_revision = ('a', 'b')\n";
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        ParsedMigration p = parse_migration(src);
        MigrationDocument d(src);
        if (strings(p.down_revision).size() == 2 && d.parsed().revision.present) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), 800);
}
