// LSP positions ({line, character} in a negotiated encoding) and byte offsets.
// Lines end at "\n", "\r\n" or "\r" (LSP 3.17). Characters count UTF-16 code units by
// default, bytes with utf-8, code points with utf-32. A byte that is not part of valid
// UTF-8 counts as one unit in every encoding, so broken files still round-trip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace alembic::protocol {

/// How `Position::character` counts.
enum class PositionEncoding { Utf16, Utf8, Utf32 };

/// "utf-16" / "utf-8" / "utf-32".
std::string_view to_string(PositionEncoding encoding);

/// Parses an LSP PositionEncodingKind; nullopt for unknown kinds.
std::optional<PositionEncoding> parse_position_encoding(std::string_view text);

/// Picks the encoding from `initialize` client capabilities: utf-8 when the client lists
/// it in general.positionEncodings (no conversion needed), else the mandatory utf-16.
PositionEncoding negotiate_position_encoding(const nlohmann::json& client_capabilities);

/// An LSP Position: 0-based line and character.
struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;
  bool operator==(const Position&) const = default;
};

/// An LSP Range; end is exclusive.
struct Range {
  Position start;
  Position end;
  bool operator==(const Range&) const = default;
};

/// A half-open byte range [start, end) of a text.
struct ByteRange {
  std::size_t start = 0;
  std::size_t end = 0;
  bool operator==(const ByteRange&) const = default;
};

/// JSON conversion (nlohmann ADL). Reading rejects negative or non-integer fields with
/// std::invalid_argument naming the field, which the endpoint turns into InvalidParams.
void to_json(nlohmann::json& out, const Position& position);
void from_json(const nlohmann::json& in, Position& position);
void to_json(nlohmann::json& out, const Range& range);
void from_json(const nlohmann::json& in, Range& range);

/// Line starts and the multi-byte characters of one text, for O(log n + k) conversions.
/// Holds no reference to the text: rebuild it whenever the text changes.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  /// Number of lines; a trailing line break starts one more (empty) line.
  std::size_t line_count() const { return line_starts_.size(); }
  /// Size of the indexed text in bytes.
  std::size_t size() const { return size_; }
  /// Byte offset where `line` starts (size() if the line does not exist).
  std::size_t line_start(std::size_t line) const;
  /// Byte offset where `line`'s content ends, before its line break.
  std::size_t line_end(std::size_t line) const;

  /// Byte offset -> position. Offsets past the end clamp to the end; an offset inside a
  /// multi-byte character or a line break snaps back to the character / line end.
  Position position_of(std::size_t offset, PositionEncoding encoding) const;

  /// Position -> byte offset. A character past the end of its line clamps to the line
  /// end (before the line break); a line past the last clamps to the end of the text; a
  /// character that falls inside a multi-unit character snaps to its start.
  std::size_t offset_of(Position position, PositionEncoding encoding) const;

  /// Both ends converted; an end before the start is treated as the start.
  ByteRange byte_range_of(const Range& range, PositionEncoding encoding) const;
  Range range_of(const ByteRange& range, PositionEncoding encoding) const;

 private:
  struct WideChar {
    std::size_t offset;  // first byte
    std::uint8_t bytes;  // 2, 3 or 4
  };
  std::size_t first_wide(std::size_t line) const { return wide_starts_[line]; }
  std::size_t end_wide(std::size_t line) const { return wide_starts_[line + 1]; }

  std::size_t size_ = 0;
  std::vector<std::size_t> line_starts_;
  std::vector<std::size_t> line_ends_;
  std::vector<std::size_t> wide_starts_;  // per line, index of its first WideChar; + sentinel
  std::vector<WideChar> wide_;
};

/// A point as tree-sitter counts it: rows split on '\n' only, columns in bytes.
struct TextPoint {
  std::size_t row = 0;
  std::size_t column = 0;
  bool operator==(const TextPoint&) const = default;
};

/// What an edit did to the bytes, in the shape tree-sitter's ts_tree_edit wants.
struct ByteEdit {
  std::size_t start_byte = 0;
  std::size_t old_end_byte = 0;
  std::size_t new_end_byte = 0;
  TextPoint start_point;
  TextPoint old_end_point;
  TextPoint new_end_point;
  bool operator==(const ByteEdit&) const = default;
};

/// Applies one `textDocument/didChange` content change to `text` in place. No range means
/// the whole text is replaced. Returns the byte edit performed. Several changes in one
/// notification must be applied in order, each to the result of the previous one.
ByteEdit apply_content_change(std::string& text, const std::optional<Range>& range,
                              std::string_view new_text, PositionEncoding encoding);

/// The same for a TextDocumentContentChangeEvent as JSON ({"range"?, "text"}).
ByteEdit apply_content_change(std::string& text, const nlohmann::json& change,
                              PositionEncoding encoding);

}  // namespace alembic::protocol
