#include "analysis/docstring.h"

namespace alembic::docstring {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// [begin, end) of text without surrounding spaces.
void trim(std::string_view text, size_t& begin, size_t& end) {
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
}

constexpr std::string_view kRevisionId = "Revision ID:";
constexpr std::string_view kRevises = "Revises:";
constexpr std::string_view kCreateDate = "Create Date:";

bool is_header_line(std::string_view trimmed) {
  return trimmed.starts_with(kRevisionId) || trimmed.starts_with(kRevises) ||
         trimmed.starts_with(kCreateDate);
}

// Calls f(begin, end) for each line of text ('\n' separated), bounds without the '\n'.
template <typename F>
void for_each_line(std::string_view text, F&& f) {
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    if (!f(begin, end)) return;
    begin = end + 1;
  }
}

class HeaderReader {
 public:
  HeaderReader(std::string_view text, const std::vector<uint32_t>& offsets,
               literal::PointCursor& cursor, DocstringHeader& header)
      : text_(text), offsets_(offsets), cursor_(cursor), header_(header) {}

  bool line(size_t begin, size_t end) {
    trim(text_, begin, end);
    std::string_view l = text_.substr(begin, end - begin);
    if (l.starts_with(kRevisionId) && !seen_id_) {
      seen_id_ = true;
      if (auto v = value(begin + kRevisionId.size(), end)) header_.revision_id = std::move(v);
    } else if (l.starts_with(kRevises) && !header_.has_revises) {
      header_.has_revises = true;
      revises(begin + kRevises.size(), end);
    } else if (l.starts_with(kCreateDate) && !seen_date_) {
      seen_date_ = true;
      if (auto v = value(begin + kCreateDate.size(), end)) header_.create_date = std::move(v);
    }
    return true;
  }

 private:
  std::optional<StringValue> value(size_t begin, size_t end) {
    trim(text_, begin, end);
    if (begin == end) return std::nullopt;
    StringValue v;
    v.text = std::string(text_.substr(begin, end - begin));
    v.range = cursor_.range(offsets_[begin], offsets_[end]);
    return v;
  }

  // `a, b`, `a,b`, `('a', 'b')` (what `Revises: ${down_revision}` gives for a tuple) and
  // `['a', 'b']` all name the same revisions: brackets around the list and quotes around
  // an item are not part of the ids.
  void revises(size_t begin, size_t end) {
    trim(text_, begin, end);
    if (end - begin >= 2 && ((text_[begin] == '(' && text_[end - 1] == ')') ||
                             (text_[begin] == '[' && text_[end - 1] == ']'))) {
      ++begin;
      --end;
    }
    while (begin <= end) {
      size_t comma = text_.find(',', begin);
      if (comma == std::string_view::npos || comma > end) comma = end;
      size_t b = begin, e = comma;
      trim(text_, b, e);
      // Quotes are dropped at either end on their own, so `('a, c')` (a header whose ids
      // were replaced inside the brackets) still names a and c.
      if (b < e && (text_[b] == '\'' || text_[b] == '"')) ++b;
      if (b < e && (text_[e - 1] == '\'' || text_[e - 1] == '"')) --e;
      if (b < e && text_.substr(b, e - b) != "None") {
        if (auto v = value(b, e)) header_.revises.push_back(std::move(*v));
      }
      begin = comma + 1;
    }
  }

  std::string_view text_;
  const std::vector<uint32_t>& offsets_;
  literal::PointCursor& cursor_;
  DocstringHeader& header_;
  bool seen_id_ = false;
  bool seen_date_ = false;
};

}  // namespace

std::string first_paragraph(std::string_view text) {
  std::string message;
  bool started = false;
  for_each_line(text, [&](size_t begin, size_t end) {
    trim(text, begin, end);
    std::string_view l = text.substr(begin, end - begin);
    if (l.empty()) return !started;  // leading blank lines are skipped
    if (is_header_line(l)) return false;
    if (started) message.push_back('\n');
    message.append(l);
    started = true;
    return true;
  });
  return message;
}

void read_header(std::string_view text, const std::vector<uint32_t>& offsets,
                 literal::PointCursor& cursor, DocstringHeader& header) {
  header.message = first_paragraph(text);
  if (offsets.size() != text.size() + 1) return;  // no positions: nothing to point at
  HeaderReader reader(text, offsets, cursor, header);
  for_each_line(text, [&](size_t begin, size_t end) { return reader.line(begin, end); });
}

}  // namespace alembic::docstring
