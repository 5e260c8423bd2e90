#include "analysis/conflict_markers.h"

#include <algorithm>
#include <cstring>

namespace alembic {

namespace {

bool is_marker(std::string_view line) {
  auto starts = [&](char c) {
    return line.size() >= 7 &&
           std::all_of(line.begin(), line.begin() + 7, [c](char x) { return x == c; });
  };
  if (starts('<') || starts('>')) return line.size() == 7 || line[7] == ' ' || line[7] == '\r';
  // "=======" must stand alone: "=======" inside reST underlines in docstrings is common
  // but is longer or shorter, and a docstring body is indented or inside quotes anyway.
  std::string_view rest = line.substr(std::min<size_t>(7, line.size()));
  return starts('=') && (rest.empty() || rest == "\r");
}

}  // namespace

void add_conflict_markers(std::string_view source, ParsedMigration& parsed) {
  constexpr size_t kMaxReported = 3;
  size_t reported = 0;
  uint32_t line_no = 0;
  for (size_t pos = 0; pos < source.size() && reported < kMaxReported; ++line_no) {
    const char* nl =
        static_cast<const char*>(std::memchr(source.data() + pos, '\n', source.size() - pos));
    size_t end = nl ? static_cast<size_t>(nl - source.data()) : source.size();
    std::string_view line = source.substr(pos, end - pos);
    if (!line.empty() && (line[0] == '<' || line[0] == '=' || line[0] == '>') && is_marker(line)) {
      // Inside the docstring the text is documentation, not code.
      const auto& doc = parsed.docstring;
      bool in_doc = doc.present && doc.range.start_byte <= pos && pos < doc.range.end_byte;
      if (!in_doc) {
        SourceRange r;
        r.start_byte = static_cast<uint32_t>(pos);
        r.end_byte = static_cast<uint32_t>(pos + std::min<size_t>(7, line.size()));
        r.start_line = r.end_line = line_no;
        r.start_column = 0;
        r.end_column = r.end_byte - r.start_byte;
        parsed.syntax_errors.push_back(
            {r, "merge-conflict marker '" + std::string(line.substr(0, 7)) + "'"});
        ++reported;
      }
    }
    pos = end + 1;
  }
}

}  // namespace alembic
