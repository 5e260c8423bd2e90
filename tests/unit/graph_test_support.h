// Builders of the graph and findings tests (analysis_graph_test.cpp,
// analysis_findings_test.cpp): Scripts as the parser would produce them, without files.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/graph.h"

namespace graph_test {

using namespace alembic;

using Ids = std::vector<std::string>;

// A range as if each assignment sat on its own line of a real file (line * 100 + column
// as the byte offset keeps ranges distinct and ordered).
inline SourceRange at(uint32_t line, uint32_t column, uint32_t length) {
  SourceRange r;
  r.start_line = r.end_line = line;
  r.start_column = column;
  r.end_column = column + length;
  r.start_byte = line * 100 + column;
  r.end_byte = r.start_byte + length;
  return r;
}

// `name = "a"` (one value), `name = ("a", "b")` (several) or `name = None` (none).
/// An expression the parser could not read (unresolved-value), at column 16 of `line`.
inline UnresolvedValue expr(const std::string& text, uint32_t line) {
  return {text, at(line, 16, static_cast<uint32_t>(text.size()))};
}

inline AssignedValue assigned(uint32_t line, const Ids& values) {
  AssignedValue v;
  v.present = true;
  v.name_range = at(line, 0, 12);
  v.is_none = values.empty();
  v.is_sequence = values.size() > 1;
  uint32_t column = 16;
  for (const std::string& s : values) {
    v.strings.push_back({s, at(line, column, static_cast<uint32_t>(s.size() + 2))});
    column += static_cast<uint32_t>(s.size()) + 4;
  }
  v.value_range = at(line, 15, column - 15);
  return v;
}

inline Script make_script(const std::string& path, const std::string& rev, const Ids& down,
                          const Ids& depends_on = {}, const Ids& labels = {}) {
  Script s;
  s.path = path;
  s.parsed.revision = assigned(10, {rev});
  s.parsed.down_revision = assigned(11, down);
  if (!labels.empty()) s.parsed.branch_labels = assigned(12, labels);
  if (!depends_on.empty()) s.parsed.depends_on = assigned(13, depends_on);
  return s;
}

// A script per id in load order, named "versions/<id>_m.py".
inline Script rev(const std::string& id, const Ids& down, const Ids& depends_on = {},
                  const Ids& labels = {}) {
  return make_script("versions/" + id + "_m.py", id, down, depends_on, labels);
}

inline const Revision& get(const GraphAnalysis& g, const std::string& id) {
  long i = g.find(id);
  EXPECT_GE(i, 0) << id;
  return g.revisions.at(static_cast<size_t>(i));
}

inline bool has_code(const GraphAnalysis& g, const std::string& code) {
  for (const Finding& f : g.findings)
    if (f.code == code) return true;
  return false;
}

inline std::vector<Finding> with_code(const GraphAnalysis& g, const std::string& code) {
  std::vector<Finding> out;
  for (const Finding& f : g.findings)
    if (f.code == code) out.push_back(f);
  return out;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The text of a migration file: its docstring header names `header_rev` (a mismatch when
// it differs from `rev`); `down` empty is a base.
inline std::string migration(const std::string& rev, const std::string& down,
                             const std::string& header_rev) {
  return "\"\"\"m\n\nRevision ID: " + header_rev + "\nRevises: " + down + "\n\"\"\"\nrevision = '" +
         rev + "'\ndown_revision = " + (down.empty() ? std::string("None") : "'" + down + "'") +
         "\nbranch_labels = None\ndepends_on = None\n\ndef upgrade():\n    pass\n";
}

}  // namespace graph_test
