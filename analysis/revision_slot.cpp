#include "analysis/revision_slot.h"

#include <algorithm>

namespace alembic {

namespace {

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool blank(char c) {
  return c == ' ' || c == '\t';
}

// `name` assigned at the start of `line` (column 0): the offset just after its `=`.
std::optional<size_t> value_start(std::string_view line, std::string_view name) {
  if (!line.starts_with(name)) return std::nullopt;
  size_t i = name.size();
  if (i < line.size() && ident_char(line[i])) return std::nullopt;  // down_revision_x
  while (i < line.size() && blank(line[i])) ++i;
  if (i < line.size() && line[i] == ':') {  // an annotation, up to the `=`
    while (i < line.size() && line[i] != '=') ++i;
  }
  if (i >= line.size() || line[i] != '=') return std::nullopt;
  if (i + 1 < line.size() && line[i + 1] == '=') return std::nullopt;  // a comparison
  return i + 1;
}

// The quote the file's `revision` string uses, or a single quote.
char file_quote(std::string_view text, const ParsedMigration& parsed) {
  for (const StringValue& s : parsed.revision.strings) {
    for (uint32_t i = s.range.start_byte; i < s.range.end_byte && i < text.size(); ++i) {
      if (text[i] == '\'' || text[i] == '"') return text[i];
      if (!ident_char(text[i])) break;  // a name bound to a literal: no quote here
    }
  }
  return '\'';
}

struct ScanState {
  bool in_string = false;
  char quote = 0;
  size_t content_start = 0;
  char last_significant = 0;  // outside strings; the closing quote counts as one
  bool comment = false;
};

// Reads [from, to) as Python: strings (with escapes) and comments.
ScanState scan(std::string_view text, size_t from, size_t to) {
  ScanState s;
  for (size_t i = from; i < to; ++i) {
    const char c = text[i];
    if (s.in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == s.quote) {
        s.in_string = false;
        s.last_significant = c;
      }
    } else if (c == '#') {
      s.comment = true;
      return s;
    } else if (c == '\'' || c == '"') {
      s.in_string = true;
      s.quote = c;
      s.content_start = i + 1;
    } else if (!blank(c) && c != '\n' && c != '\r') {
      s.last_significant = c;
    }
  }
  return s;
}

}  // namespace

std::optional<RevisionSlot> revision_slot_at(std::string_view text, const ParsedMigration& parsed,
                                             uint32_t offset_in) {
  const size_t offset = std::min<size_t>(offset_in, text.size());
  const size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  const size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
  size_t line_end = text.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = text.size();
  const std::string_view line = text.substr(line_start, offset - line_start);

  RevisionSlot slot;
  std::optional<size_t> from;
  for (const auto& [name, kind] :
       {std::pair{std::string_view("down_revision"), ReferenceKind::DownRevision},
        std::pair{std::string_view("depends_on"), ReferenceKind::DependsOn}}) {
    if (auto start = value_start(line, name)) {
      from = line_start + *start;
      slot.kind = kind;
      break;
    }
  }
  if (!from) {
    // A later line of a multi-line value: `down_revision = (\n    'a',\n    |`.
    for (const auto& [value, kind] : {std::pair{&parsed.down_revision, ReferenceKind::DownRevision},
                                      std::pair{&parsed.depends_on, ReferenceKind::DependsOn}}) {
      const SourceRange& r = value->value_range;
      if (value->present && value->is_sequence && r.start_byte < line_start &&
          offset < r.end_byte) {
        from = line_start;
        slot.kind = kind;
        break;
      }
    }
  }
  if (!from) return std::nullopt;

  const ScanState s = scan(text, *from, offset);
  if (s.comment) return std::nullopt;
  if (s.in_string) {
    slot.in_string = true;
    slot.quote = s.quote;
    slot.prefix = std::string(text.substr(s.content_start, offset - s.content_start));
    slot.replace_start = static_cast<uint32_t>(s.content_start);
    // Up to the closing quote on this line; an unterminated string: the rest of the word.
    size_t end = offset;
    while (end < line_end && text[end] != s.quote && text[end] != '\\') ++end;
    if (end >= line_end || text[end] != s.quote) {
      end = offset;
      while (end < line_end && ident_char(text[end])) ++end;
    }
    slot.replace_end = static_cast<uint32_t>(end);
    return slot;
  }

  // A bare word (or nothing yet) right after `=`, `(`, `[` or `,`.
  size_t word = offset;
  while (word > *from && ident_char(text[word - 1])) --word;
  const ScanState before = scan(text, *from, word);
  const char prev = before.last_significant;
  if (prev != 0 && prev != '(' && prev != '[' && prev != ',') return std::nullopt;
  size_t end = offset;
  while (end < line_end && ident_char(text[end])) ++end;
  slot.prefix = std::string(text.substr(word, offset - word));
  // `down_revision = None|`: offer every name, replacing the None.
  if (text.substr(word, end - word) == "None") slot.prefix.clear();
  slot.replace_start = static_cast<uint32_t>(word);
  slot.replace_end = static_cast<uint32_t>(end);
  slot.quote = file_quote(text, parsed);
  return slot;
}

}  // namespace alembic
