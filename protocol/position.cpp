#include "protocol/position.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace alembic::protocol {
namespace {

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Length of the well-formed UTF-8 sequence at text[i], or 1 when it is not one
// (stray continuation bytes, overlongs, surrogates and truncated sequences each count
// as single bytes, the way editors display them as one replacement character each).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) -> unsigned char {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
  };
  unsigned char b0 = byte(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return is_continuation(byte(1)) ? 2 : 1;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;  // ED A0.. would be a UTF-16 surrogate
    unsigned char b1 = byte(1);
    return b1 >= lo && b1 <= hi && is_continuation(byte(2)) ? 3 : 1;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    unsigned char b1 = byte(1);
    return b1 >= lo && b1 <= hi && is_continuation(byte(2)) && is_continuation(byte(3)) ? 4 : 1;
  }
  return 1;
}

std::size_t units(std::uint8_t bytes, PositionEncoding encoding) {
  switch (encoding) {
    case PositionEncoding::Utf8:
      return bytes;
    case PositionEncoding::Utf16:
      return bytes == 4 ? 2 : 1;  // astral planes need a surrogate pair
    case PositionEncoding::Utf32:
      return 1;
  }
  return 1;
}

std::uint32_t read_index(const nlohmann::json& in, const char* field) {
  const auto& value = in.at(field);
  bool negative =
      value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0;
  if (!value.is_number_integer() || negative) {
    throw std::invalid_argument(std::string("position.") + field +
                                " must be a non-negative integer, got " + value.dump());
  }
  auto n = value.get<std::uint64_t>();
  // Larger values are legal JSON but no document has them; saturate so they clamp.
  return static_cast<std::uint32_t>(
      std::min<std::uint64_t>(n, std::numeric_limits<std::uint32_t>::max()));
}

// Where `offset` lies in tree-sitter's row/column terms.
TextPoint point_at(std::string_view text, std::size_t offset) {
  std::string_view before = text.substr(0, offset);
  TextPoint point;
  point.row = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  auto last = before.rfind('\n');
  point.column = last == std::string_view::npos ? offset : offset - last - 1;
  return point;
}

TextPoint advance(TextPoint from, std::string_view inserted) {
  auto newlines = static_cast<std::size_t>(std::count(inserted.begin(), inserted.end(), '\n'));
  if (newlines == 0) return {from.row, from.column + inserted.size()};
  return {from.row + newlines, inserted.size() - inserted.rfind('\n') - 1};
}

}  // namespace

std::string_view to_string(PositionEncoding encoding) {
  switch (encoding) {
    case PositionEncoding::Utf16:
      return "utf-16";
    case PositionEncoding::Utf8:
      return "utf-8";
    case PositionEncoding::Utf32:
      return "utf-32";
  }
  return "utf-16";
}

std::optional<PositionEncoding> parse_position_encoding(std::string_view text) {
  if (text == "utf-16") return PositionEncoding::Utf16;
  if (text == "utf-8") return PositionEncoding::Utf8;
  if (text == "utf-32") return PositionEncoding::Utf32;
  return std::nullopt;
}

PositionEncoding negotiate_position_encoding(const nlohmann::json& client_capabilities) {
  if (!client_capabilities.is_object()) return PositionEncoding::Utf16;
  auto general = client_capabilities.find("general");
  if (general == client_capabilities.end() || !general->is_object()) return PositionEncoding::Utf16;
  auto offered = general->find("positionEncodings");
  if (offered == general->end() || !offered->is_array()) return PositionEncoding::Utf16;
  for (const auto& kind : *offered) {
    if (kind.is_string() && kind.get<std::string>() == "utf-8") return PositionEncoding::Utf8;
  }
  return PositionEncoding::Utf16;
}

void to_json(nlohmann::json& out, const Position& position) {
  out = {{"line", position.line}, {"character", position.character}};
}

void from_json(const nlohmann::json& in, Position& position) {
  if (!in.is_object())
    throw std::invalid_argument("a position must be an object, got " + in.dump());
  position.line = read_index(in, "line");
  position.character = read_index(in, "character");
}

void to_json(nlohmann::json& out, const Range& range) {
  out = {{"start", range.start}, {"end", range.end}};
}

void from_json(const nlohmann::json& in, Range& range) {
  if (!in.is_object()) throw std::invalid_argument("a range must be an object, got " + in.dump());
  range.start = in.at("start").get<Position>();
  range.end = in.at("end").get<Position>();
}

LineIndex::LineIndex(std::string_view text) : size_(text.size()) {
  line_starts_.push_back(0);
  wide_starts_.push_back(0);
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\n' || c == '\r') {
      std::size_t eol = (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
      line_ends_.push_back(i);
      i += eol;
      line_starts_.push_back(i);
      wide_starts_.push_back(wide_.size());
      continue;
    }
    std::size_t length = utf8_length(text, i);
    if (length > 1) wide_.push_back({i, static_cast<std::uint8_t>(length)});
    i += length;
  }
  line_ends_.push_back(text.size());
  wide_starts_.push_back(wide_.size());
}

std::size_t LineIndex::line_start(std::size_t line) const {
  return line < line_starts_.size() ? line_starts_[line] : size_;
}

std::size_t LineIndex::line_end(std::size_t line) const {
  return line < line_ends_.size() ? line_ends_[line] : size_;
}

Position LineIndex::position_of(std::size_t offset, PositionEncoding encoding) const {
  offset = std::min(offset, size_);
  auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<std::size_t>(after - line_starts_.begin()) - 1;
  offset = std::min(offset, line_ends_[line]);

  std::size_t character = 0;
  std::size_t cursor = line_starts_[line];
  for (std::size_t w = first_wide(line); w < end_wide(line) && wide_[w].offset < offset; ++w) {
    character += wide_[w].offset - cursor;
    cursor = wide_[w].offset;
    if (offset < cursor + wide_[w].bytes) {  // inside this character: snap to its start
      offset = cursor;
      break;
    }
    character += units(wide_[w].bytes, encoding);
    cursor += wide_[w].bytes;
  }
  character += offset - cursor;
  return {static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(character)};
}

std::size_t LineIndex::offset_of(Position position, PositionEncoding encoding) const {
  if (position.line >= line_starts_.size()) return size_;
  std::size_t line = position.line;
  std::size_t remaining = position.character;
  std::size_t cursor = line_starts_[line];
  for (std::size_t w = first_wide(line); w < end_wide(line); ++w) {
    std::size_t narrow = wide_[w].offset - cursor;  // single-unit bytes before it
    if (remaining <= narrow) return cursor + remaining;
    remaining -= narrow;
    cursor = wide_[w].offset;
    std::size_t width = units(wide_[w].bytes, encoding);
    if (remaining < width) return cursor;  // between the units of one character
    remaining -= width;
    cursor += wide_[w].bytes;
  }
  return std::min(cursor + remaining, line_ends_[line]);
}

ByteRange LineIndex::byte_range_of(const Range& range, PositionEncoding encoding) const {
  std::size_t start = offset_of(range.start, encoding);
  std::size_t end = offset_of(range.end, encoding);
  return {start, std::max(start, end)};
}

Range LineIndex::range_of(const ByteRange& range, PositionEncoding encoding) const {
  return {position_of(range.start, encoding),
          position_of(std::max(range.start, range.end), encoding)};
}

ByteEdit apply_content_change(std::string& text, const std::optional<Range>& range,
                              std::string_view new_text, PositionEncoding encoding) {
  ByteRange replaced{0, text.size()};
  if (range) replaced = LineIndex(text).byte_range_of(*range, encoding);

  ByteEdit edit;
  edit.start_byte = replaced.start;
  edit.old_end_byte = replaced.end;
  edit.new_end_byte = replaced.start + new_text.size();
  edit.start_point = point_at(text, replaced.start);
  edit.old_end_point = point_at(text, replaced.end);
  edit.new_end_point = advance(edit.start_point, new_text);
  text.replace(replaced.start, replaced.end - replaced.start, new_text);
  return edit;
}

ByteEdit apply_content_change(std::string& text, const nlohmann::json& change,
                              PositionEncoding encoding) {
  std::optional<Range> range;
  if (auto it = change.find("range"); it != change.end() && !it->is_null())
    range = it->get<Range>();
  return apply_content_change(text, range, change.at("text").get<std::string>(), encoding);
}

}  // namespace alembic::protocol
