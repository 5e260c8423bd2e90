// The migration parser: parse_migration (the cold path that scans and parses only the
// statements that matter) against MigrationDocument (full tree-sitter parse, then
// incremental edits). Both must give the same answer on the same text, every range must
// lie inside the text with a line/column that matches its byte offset, and an edited
// document must agree with a fresh one. parse_migration's shortcut for plain literal
// lines (parse_fast.h) must agree with reading the same lines with tree-sitter.
//
// Input: migration text, optionally followed by "\n#~edits~" and an edit script of
// 4-byte edits (start u16, deleted length, snippet). Without a script a few edits are
// derived from a hash of the text, so every input is also edited.
//
// ALEMBIC_FUZZ_VALUES_ONLY=1 compares only the four assignments' values (not ranges,
// docstring or syntax errors), to keep a long run going past a known range difference.
#include <cstdint>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "../unit/parser_edit_snippets.h"
#include "analysis/parser.h"
#include "fuzz_support.h"

using namespace alembic;
using alembic::fuzz::Cursor;

namespace {

bool values_only() {
  static const bool only = [] {
    const char* v = std::getenv("ALEMBIC_FUZZ_VALUES_ONLY");
    return v && *v && *v != '0';
  }();
  return only;
}

// Its own snippets around the shared ones; an edit script's byte picks one by its index.
const std::vector<std::string> kSnippets =
    alembic::testing::edit_snippets({""}, {"\r",
                                           "\t",
                                           "if x:\n    ",
                                           "def f():\n",
                                           "\"\"\"doc\n\nRevision ID: d1\nRevises: a, b\n\"\"\"\n",
                                           std::string(1, '\0'),
                                           "\xFF",
                                           "\xC3\xA9",
                                           "\xF0\x9F\x8E\x89",
                                           "X = f()\n",
                                           "revision = \\\n  'cont'\n",
                                           "down_revision = None\n",
                                           "revision: str = \"r\"\n",
                                           "from __future__ import annotations\n",
                                           "class C:\n",
                                           "u'x'",
                                           "'a' 'b'",
                                           "*",
                                           "down_revision = [X, 'y', cli.Z]\n",
                                           "\xEF\xBB\xBF"});

struct Edit {
  std::uint32_t start, end;
  std::string text;
};

std::vector<Edit> edits_from_script(std::string_view script, std::string text) {
  std::vector<Edit> edits;
  Cursor c(script);
  while (!c.empty() && edits.size() < 16) {
    auto start = static_cast<std::uint32_t>(c.u16() % (text.size() + 1));
    auto end = static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), start + c.u8() % 24));
    const std::string& insert = kSnippets[c.u8() % kSnippets.size()];
    edits.push_back({start, end, insert});
    text.replace(start, end - start, insert);
  }
  return edits;
}

std::vector<Edit> edits_from_hash(std::string_view source) {
  std::mt19937_64 rng(alembic::fuzz::hash(source));
  std::vector<Edit> edits;
  std::string text(source);
  const int count = static_cast<int>(rng() % 4);
  for (int i = 0; i < count; ++i) {
    auto start = static_cast<std::uint32_t>(rng() % (text.size() + 1));
    auto end = static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), start + rng() % 8));
    const std::string& insert = kSnippets[rng() % kSnippets.size()];
    edits.push_back({start, end, insert});
    text.replace(start, end - start, insert);
  }
  return edits;
}

// A range must lie in the text, and its line/column must be what tree-sitter counts
// (rows split on '\n', columns in bytes) for its byte offsets.
void check_point(std::string_view text, std::uint32_t byte, std::uint32_t line,
                 std::uint32_t column, const std::string& what) {
  FUZZ_CHECK(byte <= text.size(), what + ": byte " + std::to_string(byte) + " past the end (" +
                                      std::to_string(text.size()) + ")");
  std::string_view before = text.substr(0, byte);
  std::uint32_t expected_line = 0;
  for (char ch : before) expected_line += ch == '\n';
  auto last = before.rfind('\n');
  auto expected_column =
      static_cast<std::uint32_t>(last == std::string_view::npos ? byte : byte - last - 1);
  FUZZ_CHECK(line == expected_line && column == expected_column,
             what + ": byte " + std::to_string(byte) + " at " + std::to_string(line) + ":" +
                 std::to_string(column) + ", expected " + std::to_string(expected_line) + ":" +
                 std::to_string(expected_column));
}

void check_range(std::string_view text, const SourceRange& r, const std::string& what) {
  FUZZ_CHECK(r.start_byte <= r.end_byte, what + ": range ends before it starts");
  check_point(text, r.start_byte, r.start_line, r.start_column, what + " start");
  check_point(text, r.end_byte, r.end_line, r.end_column, what + " end");
}

void check_assigned(std::string_view text, const AssignedValue& v, const std::string& name) {
  if (!v.present) return;
  check_range(text, v.name_range, name + " name");
  check_range(text, v.value_range, name + " value");
  for (const auto& s : v.strings) check_range(text, s.range, name + " string");
  for (const auto& u : v.unresolved) check_range(text, u.range, name + " unresolved");
}

void check_ranges(std::string_view text, const ParsedMigration& p) {
  check_assigned(text, p.revision, "revision");
  check_assigned(text, p.down_revision, "down_revision");
  check_assigned(text, p.branch_labels, "branch_labels");
  check_assigned(text, p.depends_on, "depends_on");
  if (p.docstring.present) {
    check_range(text, p.docstring.range, "docstring");
    if (p.docstring.revision_id) check_range(text, p.docstring.revision_id->range, "Revision ID");
    for (const auto& r : p.docstring.revises) check_range(text, r.range, "Revises");
    if (p.docstring.create_date) check_range(text, p.docstring.create_date->range, "Create Date");
  }
  for (const auto& e : p.syntax_errors) check_range(text, e.range, "syntax error");
}

std::string describe(const SourceRange& r) {
  std::ostringstream os;
  os << r.start_byte << "-" << r.end_byte << "(" << r.start_line << ":" << r.start_column << "-"
     << r.end_line << ":" << r.end_column << ")";
  return os.str();
}

std::string describe(const AssignedValue& v, bool full) {
  std::ostringstream os;
  os << (v.present ? "present" : "absent") << (v.is_none ? " None" : "")
     << (v.is_sequence ? " seq" : "");
  if (full) os << " name " << describe(v.name_range) << " value " << describe(v.value_range);
  os << " [";
  for (const auto& s : v.strings)
    os << " '" << s.text << "'" << (full ? "@" + describe(s.range) : "");
  for (const auto& u : v.unresolved)
    os << " ?" << u.expression << (full ? "@" + describe(u.range) : "");
  os << " ]";
  return os.str();
}

std::string describe(const std::optional<StringValue>& s) {
  return s ? "'" + s->text + "'@" + describe(s->range) : "none";
}

std::string describe(const ParsedMigration& p, bool full) {
  std::ostringstream os;
  os << "revision: " << describe(p.revision, full)
     << "\ndown_revision: " << describe(p.down_revision, full)
     << "\nbranch_labels: " << describe(p.branch_labels, full)
     << "\ndepends_on: " << describe(p.depends_on, full);
  if (full) {
    const auto& d = p.docstring;
    os << "\ndocstring: " << (d.present ? "present " : "absent ") << describe(d.range) << " msg '"
       << d.message << "' id " << describe(d.revision_id) << " revises"
       << (d.has_revises ? "+" : "-");
    for (const auto& r : d.revises) os << " " << describe(std::optional<StringValue>(r));
    os << " date " << describe(d.create_date);
    for (const auto& e : p.syntax_errors) os << "\nerror " << e.message << "@" << describe(e.range);
  }
  return os.str();
}

void check_same(const ParsedMigration& a, const ParsedMigration& b, std::string_view text,
                const char* what) {
  const bool full = !values_only();
  std::string da = describe(a, full), db = describe(b, full);
  FUZZ_CHECK(da == db, std::string(what) + " differ\n--- first\n" + da + "\n--- second\n" + db +
                           "\n--- text (" + std::to_string(text.size()) + " bytes)\n" +
                           std::string(text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;  // run_long.sh keeps generated inputs far smaller
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto [text, script] = alembic::fuzz::split_control(input, "\n#~edits~");

  ParsedMigration cold = parse_migration(text);
  check_ranges(text, cold);
  MigrationDocument doc{std::string(text)};
  FUZZ_CHECK(doc.text() == text, "document text differs from its source");
  check_ranges(text, doc.parsed());
  check_same(cold, doc.parsed(), text, "parse_migration and MigrationDocument");
  check_same(cold, detail::parse_migration_tree_sitter(text), text,
             "parse_migration (shortcut) and its tree-sitter-only path");

  std::vector<Edit> edits =
      script.empty() ? edits_from_hash(text) : edits_from_script(script, std::string(text));
  std::string expected(text);
  for (const Edit& e : edits) {
    doc.edit(e.start, e.end, e.text);
    expected.replace(e.start, e.end - e.start, e.text);
    FUZZ_CHECK(doc.text() == expected, "edited document text differs from the edited string");
  }
  if (!edits.empty()) {
    check_ranges(expected, doc.parsed());
    MigrationDocument fresh{expected};
    check_same(doc.parsed(), fresh.parsed(), expected, "incremental and fresh MigrationDocument");
    check_same(fresh.parsed(), parse_migration(expected), expected,
               "fresh MigrationDocument and parse_migration after edits");
  }
  // Offsets past the end are clamped, never trusted.
  doc.edit(static_cast<std::uint32_t>(expected.size() + 5),
           static_cast<std::uint32_t>(expected.size() + 1), "#");
  FUZZ_CHECK(doc.text() == expected + "#", "an edit past the end was not clamped to an append");
  return 0;
}
