// The pieces under the parser: string literal decoding, the docstring header, and
// the scanner's choice of module-level lines.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/docstring.h"
#include "analysis/parse_literal.h"
#include "analysis/python_scan.h"

using namespace alembic;
using literal::decode_str;
using literal::Escapes;

namespace {

std::string decode(std::string_view lit) {
  return decode_str(lit, Escapes::Strict).value_or("<none>");
}

// The selected lines' text, for readable expectations.
std::vector<std::string> selected(std::string_view src) {
  std::vector<std::string> out;
  for (const auto& s : scan::scan_module(src).statements)
    out.emplace_back(src.substr(s.start_byte, s.end_byte - s.start_byte));
  return out;
}

std::vector<std::string> rebound(std::string_view src) {
  std::vector<std::string> out;
  for (const auto& r : scan::scan_module(src).rebindings) out.emplace_back(r.name);
  return out;
}

DocstringHeader header_of(std::string_view body, uint32_t base = 0) {
  // A docstring whose decoded text equals its source (no escapes), at byte `base`.
  std::string source(base, 'x');
  source += body;
  std::vector<uint32_t> offsets;
  for (uint32_t i = 0; i <= body.size(); ++i) offsets.push_back(base + i);
  literal::PointCursor cursor(source, base, 0, base);
  DocstringHeader h;
  docstring::read_header(body, offsets, cursor, h);
  return h;
}

}  // namespace

TEST(Literal, QuotesAndPrefixes) {
  EXPECT_EQ(decode("'a'"), "a");
  EXPECT_EQ(decode("\"a\""), "a");
  EXPECT_EQ(decode("''"), "");
  EXPECT_EQ(decode("''''''"), "");
  EXPECT_EQ(decode("'''a'b'''"), "a'b");
  EXPECT_EQ(decode("\"\"\"a\"\"b\"\"\""), "a\"\"b");
  EXPECT_EQ(decode("u'x'"), "x");
  EXPECT_EQ(decode("R'\\d'"), "\\d");
  EXPECT_EQ(decode("b'x'"), "<none>");
  EXPECT_EQ(decode("Rb'x'"), "<none>");
  EXPECT_EQ(decode("f'x'"), "<none>");
  EXPECT_EQ(decode("'unterminated"), "<none>");
  EXPECT_EQ(decode("'a\\'"), "<none>");
  EXPECT_EQ(decode("x"), "<none>");
  EXPECT_EQ(decode(""), "<none>");
}

TEST(Literal, Escapes) {
  EXPECT_EQ(decode(R"('\n\t\\\'\"\a\b\f\v\r')"), "\n\t\\'\"\a\b\f\v\r");
  EXPECT_EQ(decode(R"('\x41\101\0\7')"), std::string("AA\0\7", 4));
  EXPECT_EQ(decode(R"('\u00e9\U0001F389')"), "\xC3\xA9\xF0\x9F\x8E\x89");
  EXPECT_EQ(decode(R"('\d\w')"), "\\d\\w");  // unknown escapes stay
  EXPECT_EQ(decode("'a\\\nb'"), "ab");       // backslash-newline joins
  EXPECT_EQ(decode("'a\\\r\nb'"), "ab");
  EXPECT_EQ(decode(R"('\x4')"), "<none>");
  EXPECT_EQ(decode(R"('\N{BULLET}')"), "<none>");
  EXPECT_EQ(decode(R"('\ud800')"), "<none>");
  EXPECT_EQ(decode_str(R"('\N{BULLET}')", Escapes::Verbatim).value(), "\\N{BULLET}");
}

TEST(Literal, NewlinesAndOffsets) {
  std::vector<uint32_t> offsets;
  auto v = decode_str("'''a\r\nb\rc'''", Escapes::Strict, &offsets);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, "a\nb\nc");
  EXPECT_EQ(offsets, (std::vector<uint32_t>{3, 4, 6, 7, 8, 9}));
  v = decode_str(R"('\x41z')", Escapes::Strict, &offsets);
  EXPECT_EQ(*v, "Az");
  EXPECT_EQ(offsets, (std::vector<uint32_t>{1, 5, 6}));
}

TEST(PointCursor, LinesAndBackwardMoves) {
  std::string src = "ab\ncd\n\nef";
  literal::PointCursor c(src, 0, 0, 0);
  SourceRange r = c.range(4, 8);
  EXPECT_EQ(r.start_line, 1u);
  EXPECT_EQ(r.start_column, 1u);
  EXPECT_EQ(r.end_line, 3u);
  EXPECT_EQ(r.end_column, 1u);
  r = c.range(1, 2);
  EXPECT_EQ(r.start_line, 0u);
  EXPECT_EQ(r.start_column, 1u);
  literal::PointCursor based(src, 3, 5, 0);  // starts at a known point
  r = based.range(7, 9);
  EXPECT_EQ(r.start_line, 7u);
  EXPECT_EQ(r.end_column, 2u);
}

TEST(Docstring, FirstParagraph) {
  EXPECT_EQ(docstring::first_paragraph("add users\n\nRevision ID: x"), "add users");
  EXPECT_EQ(docstring::first_paragraph("\n  two\n  lines  \n\nmore"), "two\nlines");
  EXPECT_EQ(docstring::first_paragraph("msg\nRevision ID: a\nRevises: b"), "msg");
  EXPECT_EQ(docstring::first_paragraph("Revision ID: a\n"), "");
  EXPECT_EQ(docstring::first_paragraph("\t\r\n  \n"), "");
  EXPECT_EQ(docstring::first_paragraph("crlf\r\nnext\r\n\r\nx"), "crlf\nnext");
}

TEST(Docstring, HeaderWithExactRanges) {
  const std::string body =
      "msg\n\nRevision ID: 1975ea83b712\nRevises: aa1,  bb2 ,None,\nCreate Date: 2024-01-01 "
      "10:00:00\n";
  DocstringHeader h = header_of(body, 10);
  EXPECT_EQ(h.message, "msg");
  ASSERT_TRUE(h.revision_id);
  EXPECT_EQ(h.revision_id->text, "1975ea83b712");
  EXPECT_EQ(h.revision_id->range.start_byte, 10 + body.find("1975"));
  EXPECT_EQ(h.revision_id->range.end_byte, 10 + body.find("1975") + 12);
  EXPECT_EQ(h.revision_id->range.start_line, 2u);
  EXPECT_EQ(h.revision_id->range.start_column, 13u);
  EXPECT_TRUE(h.has_revises);
  ASSERT_EQ(h.revises.size(), 2u);
  EXPECT_EQ(h.revises[0].text, "aa1");
  EXPECT_EQ(h.revises[1].text, "bb2");
  EXPECT_EQ(h.revises[1].range.start_byte, 10 + body.find("bb2"));
  EXPECT_EQ(h.revises[1].range.start_column, 15u);
  ASSERT_TRUE(h.create_date);
  EXPECT_EQ(h.create_date->text, "2024-01-01 10:00:00");
  EXPECT_EQ(h.create_date->range.end_line, 4u);
}

TEST(Docstring, MissingAndEmptyFields) {
  DocstringHeader h = header_of("just a message\n");
  EXPECT_EQ(h.message, "just a message");
  EXPECT_FALSE(h.revision_id);
  EXPECT_FALSE(h.has_revises);
  EXPECT_FALSE(h.create_date);
  h = header_of("m\n\nRevision ID:\nRevises: None\nRevises: later\nCreate Date:   \n");
  EXPECT_FALSE(h.revision_id);
  EXPECT_TRUE(h.has_revises);
  EXPECT_TRUE(h.revises.empty());  // the first Revises: line counts
  EXPECT_FALSE(h.create_date);
  h = header_of("  Revision ID: indented\n");
  EXPECT_EQ(h.revision_id->text, "indented");
  EXPECT_EQ(h.revision_id->range.start_column, 15u);
}

// What `alembic merge` writes for a tuple with each template spelling real projects use:
// `Revises: ${down_revision}` gives `('a', 'b')`, `${down_revision | comma,n}` gives `a, b`.
TEST(Docstring, RevisesSpellingsOfOneTuple) {
  for (const std::string line : {"Revises: ('aa1', 'bb2')", "Revises: aa1, bb2", "Revises: aa1,bb2",
                                 "Revises: [\"aa1\", \"bb2\"]", "Revises:  ( 'aa1' ,'bb2', ) "}) {
    const std::string body = "m\n\nRevision ID: x\n" + line + "\n";
    DocstringHeader h = header_of(body, 0);
    ASSERT_EQ(h.revises.size(), 2u) << line;
    EXPECT_EQ(h.revises[0].text, "aa1") << line;
    EXPECT_EQ(h.revises[1].text, "bb2") << line;
    EXPECT_EQ(h.revises[1].range.start_byte, body.find("bb2")) << line;  // the id, not its quote
  }
  DocstringHeader single = header_of("m\n\nRevises: ('aa1',)\n", 0);
  ASSERT_EQ(single.revises.size(), 1u);
  EXPECT_EQ(single.revises[0].text, "aa1");
  EXPECT_TRUE(header_of("m\n\nRevises: ()\n", 0).revises.empty());
  DocstringHeader edited = header_of("m\n\nRevises: ('aa1, cc3')\n", 0);
  ASSERT_EQ(edited.revises.size(), 2u);
  EXPECT_EQ(edited.revises[0].text, "aa1");
  EXPECT_EQ(edited.revises[1].text, "cc3");
}

TEST(Scan, SelectsTheLinesThatMatter) {
  const std::string src =
      "\"\"\"doc\"\"\"\nimport os\nREV = 'r'\nrevision = REV\ndown_revision = (\n  'a',\n)\n"
      "def upgrade():\n    revision = 'no'\nx = compute()\n'late string'\n";
  EXPECT_EQ(selected(src),
            (std::vector<std::string>{"\"\"\"doc\"\"\"\n", "REV = 'r'\n", "revision = REV\n",
                                      "down_revision = (\n  'a',\n)\n"}));
  EXPECT_EQ(rebound(src), std::vector<std::string>{"x"});
}

TEST(Scan, StringsCommentsAndContinuations) {
  const std::string src =
      "x = ('''\nrevision = 1\n''')\n"
      "y = \"# not a comment\" # 'not a string\n"
      "z = 1 + \\\n    2\n"
      "w = f'{a}'\n"
      "s = 'it\\'s'; revision = 'two'\n";
  auto lines = selected(src);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "x = ('''\nrevision = 1\n''')\n");
  EXPECT_EQ(lines[1], "y = \"# not a comment\" # 'not a string\n");
  EXPECT_EQ(lines[2], "w = f'{a}'\n");
  EXPECT_EQ(lines[3], "s = 'it\\'s'; revision = 'two'\n");
  EXPECT_EQ(rebound(src), std::vector<std::string>{"z"});
}

TEST(Scan, PointsCountBytesAndNewlinesOnly) {
  const std::string src = "\xEF\xBB\xBF'd'\r\n# c\xC3\xA9\nrevision = 'x'";
  auto scan = scan::scan_module(src);
  ASSERT_EQ(scan.statements.size(), 2u);
  EXPECT_EQ(scan.statements[0].start_byte, 3u);
  EXPECT_EQ(scan.statements[0].start_column, 3u);
  EXPECT_EQ(scan.statements[0].end_line, 1u);
  EXPECT_EQ(scan.statements[1].start_line, 2u);
  EXPECT_EQ(scan.statements[1].end_byte, src.size());
  EXPECT_EQ(scan.statements[1].end_column, 14u);
}

TEST(Scan, DocstringCandidatesStopAtFirstPlainStringOrBinding) {
  EXPECT_EQ(selected("b'x'\n'a'\n'b'\n").size(), 2u);  // bytes, then the plain 'a'
  EXPECT_EQ(selected("revision = 'r'\n'a'\n").size(), 1u);
  EXPECT_EQ(selected("'a'.upper()\n'b'\n'c'\n").size(), 2u);
}

TEST(Scan, KeywordsIndentationAndOddBytes) {
  EXPECT_TRUE(selected("import revision\nif x: y = 1\n  revision = 'i'\n").empty());
  EXPECT_EQ(selected("revision: str = 'a'\nrevision: str\n").size(), 2u);
  EXPECT_EQ(rebound("A: int = 1\nB += 'x'\nC = None\nD.e = 1\n"),
            (std::vector<std::string>{"A", "B", "C"}));
  std::string junk = "'''\0\xFF";
  junk += std::string(100, '(');
  EXPECT_EQ(selected(junk).size(), 1u);  // an unterminated docstring runs to the end
  EXPECT_TRUE(selected(std::string(50, ')') + "\n").empty());
}
