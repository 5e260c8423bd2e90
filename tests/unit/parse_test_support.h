// Helpers shared by the parser tests: naive positions, value lists, and a deep
// comparison of two ParsedMigration values.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/parser.h"

namespace alembic::testing {

/// The range of the `occurrence`-th `needle` in `src` (or its first `length` bytes),
/// computed the slow obvious way.
inline SourceRange range_of(std::string_view src, std::string_view needle, int occurrence = 0,
                            size_t length = std::string_view::npos) {
  size_t at = src.find(needle);
  for (int i = 0; i < occurrence && at != std::string_view::npos; ++i)
    at = src.find(needle, at + 1);
  EXPECT_NE(at, std::string_view::npos) << "no " << needle;
  if (at == std::string_view::npos) return {};
  const size_t end = at + std::min(length, needle.size());
  auto point = [&](size_t byte, uint32_t& line, uint32_t& column) {
    line = 0;
    column = 0;
    for (size_t i = 0; i < byte; ++i) {
      if (src[i] == '\n') {
        ++line;
        column = 0;
      } else {
        ++column;
      }
    }
  };
  SourceRange r;
  r.start_byte = static_cast<uint32_t>(at);
  r.end_byte = static_cast<uint32_t>(end);
  point(at, r.start_line, r.start_column);
  point(end, r.end_line, r.end_column);
  return r;
}

inline std::vector<std::string> strings(const AssignedValue& v) {
  std::vector<std::string> out;
  for (const auto& s : v.strings) out.push_back(s.text);
  return out;
}

inline std::string describe(const SourceRange& r) {
  std::ostringstream os;
  os << r.start_byte << "-" << r.end_byte << " (" << r.start_line << ":" << r.start_column << ")-("
     << r.end_line << ":" << r.end_column << ")";
  return os.str();
}

inline std::string describe(const AssignedValue& v) {
  std::ostringstream os;
  os << (v.present ? "present" : "absent") << (v.is_none ? " None" : "")
     << (v.is_sequence ? " seq" : "") << " name " << describe(v.name_range) << " value "
     << describe(v.value_range) << " [";
  for (const auto& s : v.strings) os << " '" << s.text << "'@" << describe(s.range);
  for (const auto& u : v.unresolved) os << " ?" << u.expression << "@" << describe(u.range);
  os << " ]";
  return os.str();
}

inline std::string describe(const std::optional<StringValue>& s) {
  return s ? "'" + s->text + "'@" + describe(s->range) : "none";
}

inline std::string describe(const DocstringHeader& d) {
  std::ostringstream os;
  os << (d.present ? "present " : "absent ") << describe(d.range) << " msg '" << d.message
     << "' id " << describe(d.revision_id) << " revises" << (d.has_revises ? "+" : "-") << " [";
  for (const auto& s : d.revises) os << " " << describe(std::optional<StringValue>(s));
  os << " ] date " << describe(d.create_date);
  return os.str();
}

inline std::string describe(const ParsedMigration& p, bool with_errors) {
  std::ostringstream os;
  os << "revision: " << describe(p.revision) << "\ndown_revision: " << describe(p.down_revision)
     << "\nbranch_labels: " << describe(p.branch_labels)
     << "\ndepends_on: " << describe(p.depends_on) << "\ndocstring: " << describe(p.docstring);
  if (with_errors) {
    for (const auto& e : p.syntax_errors) os << "\nerror " << e.message << "@" << describe(e.range);
  }
  return os.str();
}

/// Same values, ranges and docstring (and syntax errors when asked).
inline ::testing::AssertionResult same(const ParsedMigration& a, const ParsedMigration& b,
                                       bool with_errors = true) {
  std::string da = describe(a, with_errors), db = describe(b, with_errors);
  if (da == db) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\n--- first\n" << da << "\n--- second\n" << db;
}

/// parse_migration(src), checked equal to a MigrationDocument of the same text.
inline ParsedMigration parse_both(const std::string& src) {
  ParsedMigration fast = parse_migration(src);
  MigrationDocument doc(src);
  EXPECT_TRUE(same(fast, doc.parsed())) << "source:\n" << src;
  return fast;
}

}  // namespace alembic::testing
