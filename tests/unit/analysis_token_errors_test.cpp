// The tokenizer errors the scan finds anywhere in a file (unclosed or mismatched
// brackets, unterminated strings, nesting too deep): reported in Python's words at the
// quote or bracket at fault, once per file, the same by the cold path and a document.
#include <gtest/gtest.h>

#include <string>

#include "analysis/parser.h"
#include "analysis/python_scan.h"
#include "parse_test_support.h"

using namespace alembic;
using alembic::testing::parse_both;
using alembic::testing::range_of;

namespace {

const std::string kHead =
    "\"\"\"add users\n\nRevision ID: a1\nRevises: \nCreate Date: 2024-01-02\n\n\"\"\"\n"
    "from alembic import op\nimport sqlalchemy as sa\n\n"
    "revision = 'a1'\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n\n\n";

// A migration whose upgrade() body is `body` (lines indented by the caller).
std::string migration(const std::string& body) {
  return kHead + "def upgrade():\n" + body + "\n\ndef downgrade():\n    pass\n";
}

// The only syntax problem of `src`, whose values must still read.
SyntaxProblem only_problem(const std::string& src) {
  ParsedMigration p = parse_both(src);
  EXPECT_EQ(p.revision.strings.size(), 1u) << src;
  EXPECT_EQ(p.syntax_errors.size(), 1u) << src;
  return p.syntax_errors.empty() ? SyntaxProblem{} : p.syntax_errors.front();
}

}  // namespace

TEST(TokenErrors, UnclosedBracketInUpgradeIsReportedAtTheInnermostOpener) {
  const std::string src = migration(
      "    op.create_table(\n        'users',\n        sa.Column('id', sa.Integer(),\n"
      "    )\n");
  SyntaxProblem e = only_problem(src);
  EXPECT_EQ(e.message, "'(' was never closed");
  // The last ')' closes the Column's '(' (its Integer() is closed): the call's stays open.
  EXPECT_EQ(e.range, range_of(src, "(\n        'users'", 0, 1))
      << alembic::testing::describe(e.range);
}

TEST(TokenErrors, UnterminatedStringNamesTheLineItEndsOn) {
  const std::string src = migration("    op.execute(\"UPDATE users SET a = 1)\n    x = 1");
  SyntaxProblem e = only_problem(src);
  const uint32_t line = range_of(src, "\"UPDATE").start_line;
  EXPECT_EQ(e.message,
            "unterminated string literal (detected at line " + std::to_string(line + 1) + ")");
  EXPECT_EQ(e.range, range_of(src, "\"UPDATE", 0, 1));

  // A backslash continues a single-quoted string onto the next line; it ends there.
  const std::string cont = migration("    op.execute('a \\\n b)\n    pass");
  e = only_problem(cont);
  EXPECT_EQ(e.message, "unterminated string literal (detected at line " +
                           std::to_string(range_of(cont, " b)").start_line + 1) + ")");
  EXPECT_EQ(e.range.start_line, range_of(cont, "'a ").start_line);
}

TEST(TokenErrors, UnterminatedTripleQuotedStringRunsToTheEnd) {
  const std::string src = migration("    op.execute(\"\"\"\n        DELETE FROM users\n    )");
  SyntaxProblem e = only_problem(src);
  // Python counts the line the end of the file is on; a final newline opens none.
  uint32_t lines = 0;
  for (char c : src) lines += c == '\n';
  EXPECT_EQ(e.message, "unterminated triple-quoted string literal (detected at line " +
                           std::to_string(lines) + ")");
  EXPECT_EQ(e.range, range_of(src, "\"\"\"\n        DELETE", 0, 3));
  const std::string no_newline = src.substr(0, src.size() - 1);
  EXPECT_EQ(
      only_problem(no_newline).message,
      "unterminated triple-quoted string literal (detected at line " + std::to_string(lines) + ")");
}

TEST(TokenErrors, MismatchedAndUnmatchedClosers) {
  std::string src = migration("    op.drop_index('ix', table_name='users']\n");
  SyntaxProblem e = only_problem(src);
  EXPECT_EQ(e.message, "closing parenthesis ']' does not match opening parenthesis '('");
  EXPECT_EQ(e.range, range_of(src, "]", 0, 1));

  src = migration("    op.bulk_insert(t, [\n        {'id': 1},\n    )\n");
  e = only_problem(src);
  EXPECT_EQ(e.message, "closing parenthesis ')' does not match opening parenthesis '[' on line " +
                           std::to_string(range_of(src, "[").start_line + 1));

  src = migration("    op.drop_table('users'))\n");
  e = only_problem(src);
  EXPECT_EQ(e.message, "unmatched ')'");
  SourceRange second = range_of(src, "))", 0, 2);  // the second ')' of the two
  ++second.start_byte;
  ++second.start_column;
  EXPECT_EQ(e.range, second) << alembic::testing::describe(e.range);
}

TEST(TokenErrors, TheFirstErrorWins) {
  const std::string src = migration("    a = (1]\n    b = 'open\n    c = (\n");
  EXPECT_EQ(only_problem(src).message,
            "closing parenthesis ']' does not match opening parenthesis '('");
}

TEST(TokenErrors, NestingDeeperThanPythonAllows) {
  const std::string src = migration("    x = " + std::string(scan::kMaxNesting + 1, '(') + "1" +
                                    std::string(scan::kMaxNesting + 1, ')') + "\n");
  SyntaxProblem e = only_problem(src);
  EXPECT_EQ(e.message, "too many nested parentheses");
  EXPECT_EQ(e.range.start_byte, src.find('(', src.find("x = ")) + scan::kMaxNesting);
  // 200 levels are fine.
  EXPECT_TRUE(parse_both(migration("    x = " + std::string(scan::kMaxNesting, '[') + "1" +
                                   std::string(scan::kMaxNesting, ']') + "\n"))
                  .syntax_errors.empty());
}

TEST(TokenErrors, ValidCodeThatLooksBrokenHasNone) {
  const std::string body =
      "    op.execute(\"SELECT ')' FROM t WHERE a = '(' \")  # a ( comment \" with ' quotes\n"
      "    op.execute('''it's \"fine\" ]\n    still a string''')\n"
      "    op.execute(f\"{name}(\" + r'\\(' + b')' .decode() + rb\"\\\"[\")\n"
      "    x = [1,\n         # ) in a comment\n         2] ; y = {'k': (3)}\n"
      "    s = 'a\\\n  b'\n"
      "    z = (1 +\\\n         2)\n";
  ParsedMigration p = parse_both(migration(body));
  EXPECT_TRUE(p.syntax_errors.empty()) << p.syntax_errors.front().message;
  EXPECT_TRUE(parse_both(migration(body + "\r\n")).syntax_errors.empty());
}

TEST(TokenErrors, ASelectedLineErrorIsReportedOnce) {
  // tree-sitter reads the broken assignment; the scan's error is the same one.
  const std::string src = kHead.substr(0, kHead.find("down_revision")) +
                          "down_revision = ('x0',\n\ndef upgrade():\n    pass\n";
  ParsedMigration p = parse_both(src);
  ASSERT_FALSE(p.syntax_errors.empty());
  for (const SyntaxProblem& e : p.syntax_errors) EXPECT_NE(e.message, "'(' was never closed");
}

TEST(TokenErrors, ConflictMarkersExplainTheFileAlone) {
  const std::string src = migration(
      "<<<<<<< HEAD\n    op.add_column('t', sa.Column('a',\n=======\n"
      "    op.add_column('t', sa.Column('b'))\n>>>>>>> other\n");
  ParsedMigration p = parse_both(src);
  ASSERT_EQ(p.syntax_errors.size(), 3u);
  for (const SyntaxProblem& e : p.syntax_errors)
    EXPECT_NE(e.message.find("merge-conflict marker"), std::string::npos) << e.message;
}

TEST(TokenErrors, LoneCarriageReturnsLeaveTheScanUnsure) {
  // Python ends a line at a lone '\r'; the scan does not, so it reports nothing.
  const std::string src = migration("    op.execute('a')\r    x = (\r");
  EXPECT_TRUE(scan::scan_module(src).token_error == std::nullopt);
  const std::string crlf = migration("    op.execute('a')\r\n    x = (\r\n");
  ASSERT_TRUE(scan::scan_module(crlf).token_error.has_value());
  EXPECT_EQ(scan::scan_module(crlf).token_error->message, "'(' was never closed");
}

TEST(TokenErrors, ADocumentShowsAndClearsTheErrorAsTheUserTypes) {
  const std::string src = migration("    op.drop_table('users')\n");
  MigrationDocument doc(src);
  EXPECT_TRUE(doc.parsed().syntax_errors.empty());
  const uint32_t at = static_cast<uint32_t>(src.find("'users')") + 7);
  doc.edit(at, at + 1, "");  // delete the ')'
  ASSERT_EQ(doc.parsed().syntax_errors.size(), 1u);
  EXPECT_EQ(doc.parsed().syntax_errors[0].message, "'(' was never closed");
  EXPECT_EQ(doc.parsed().revision.strings.size(), 1u);
  doc.edit(at, at, ")");
  EXPECT_TRUE(doc.parsed().syntax_errors.empty());
  EXPECT_TRUE(alembic::testing::same(doc.parsed(), parse_migration(src)));
}
