// Position encodings: LineIndex against a slow reference written from the LSP rules
// (lines end at \n, \r\n or \r; UTF-16 units, UTF-8 bytes or code points; a byte that
// is not valid UTF-8 is one unit; inside a character or a \r\n snaps back), round
// trips, clamping of positions past a line or the file, and apply_content_change (typed
// and JSON forms) against plain string surgery.
//
// Input: text, optionally followed by "#~ops~" and control bytes: positions to convert,
// then an edit (range, inserted text) and a JSON change to apply.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "protocol/position.h"

using namespace alembic::protocol;
using alembic::fuzz::Cursor;

namespace {

// Length of the character at text[i]: the well-formed UTF-8 sequence, else 1.
std::size_t ref_length(std::string_view text, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  unsigned char b0 = b(0);
  std::size_t n;
  char32_t cp, min;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else
    return 1;
  if (i + n > text.size()) return 1;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 1;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 1;
  return n;
}

std::size_t ref_units(std::size_t bytes, PositionEncoding e) {
  if (e == PositionEncoding::Utf8) return bytes;
  if (e == PositionEncoding::Utf16) return bytes == 4 ? 2 : 1;
  return 1;
}

// Token = one character or one line break.
std::size_t token_length(std::string_view text, std::size_t i, bool& is_break) {
  is_break = text[i] == '\n' || text[i] == '\r';
  if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') return 2;
  return is_break ? 1 : ref_length(text, i);
}

struct Reference {
  std::vector<Position> position;    // per offset 0..size
  std::vector<std::size_t> snapped;  // per offset: where it snaps back to
  std::vector<std::size_t> line_starts, line_ends;
};

Reference reference(std::string_view text, PositionEncoding e) {
  Reference r;
  r.position.resize(text.size() + 1);
  r.snapped.resize(text.size() + 1);
  r.line_starts.push_back(0);
  std::uint32_t line = 0, character = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    bool is_break;
    std::size_t n = token_length(text, i, is_break);
    for (std::size_t k = i; k < i + n; ++k) {
      r.position[k] = {line, character};
      r.snapped[k] = i;
    }
    if (is_break) {
      r.line_ends.push_back(i);
      r.line_starts.push_back(i + n);
      ++line;
      character = 0;
    } else {
      character += static_cast<std::uint32_t>(ref_units(n, e));
    }
    i += n;
  }
  r.line_ends.push_back(text.size());
  r.position[text.size()] = {line, character};
  r.snapped[text.size()] = text.size();
  return r;
}

std::size_t ref_offset(std::string_view text, const Reference& r, Position p, PositionEncoding e) {
  if (p.line >= r.line_starts.size()) return text.size();
  std::size_t cursor = r.line_starts[p.line];
  std::size_t remaining = p.character;
  while (cursor < r.line_ends[p.line]) {
    std::size_t n = ref_length(text, cursor);
    std::size_t w = ref_units(n, e);
    if (remaining < w) return cursor;
    remaining -= w;
    cursor += n;
  }
  return cursor;
}

std::string show(Position p) {
  return std::to_string(p.line) + ":" + std::to_string(p.character);
}

TextPoint ref_point(std::string_view text, std::size_t offset) {
  TextPoint p;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++p.row;
      p.column = 0;
    } else {
      ++p.column;
    }
  }
  return p;
}

void check_index(std::string_view text, PositionEncoding e, Cursor& control) {
  const std::string enc(to_string(e));
  LineIndex index(text);
  Reference ref = reference(text, e);
  FUZZ_CHECK(index.size() == text.size(), enc + ": size");
  FUZZ_CHECK(index.line_count() == ref.line_starts.size(),
             enc + ": " + std::to_string(index.line_count()) + " lines, expected " +
                 std::to_string(ref.line_starts.size()));
  for (std::size_t l = 0; l < ref.line_starts.size(); ++l) {
    FUZZ_CHECK(index.line_start(l) == ref.line_starts[l] && index.line_end(l) == ref.line_ends[l],
               enc + ": bounds of line " + std::to_string(l));
  }
  FUZZ_CHECK(index.line_start(ref.line_starts.size()) == text.size(), enc + ": line past the last");
  for (std::size_t o = 0; o <= text.size(); ++o) {
    Position p = index.position_of(o, e);
    FUZZ_CHECK(p == ref.position[o], enc + ": position_of(" + std::to_string(o) + ") = " + show(p) +
                                         ", expected " + show(ref.position[o]));
    std::size_t back = index.offset_of(p, e);
    FUZZ_CHECK(back == ref.snapped[o], enc + ": offset_of(position_of(" + std::to_string(o) +
                                           ")) = " + std::to_string(back) + ", expected " +
                                           std::to_string(ref.snapped[o]));
  }
  FUZZ_CHECK(index.position_of(text.size() + 100, e) == ref.position[text.size()],
             enc + ": offset past the end");
  // Positions from the control bytes, past line and file ends included.
  for (int k = 0; k < 8 && !control.empty(); ++k) {
    Position p{static_cast<std::uint32_t>(control.u8() % (ref.line_starts.size() + 2)),
               static_cast<std::uint32_t>(control.u8() % 80)};
    if (control.u8() == 0xFF) p.character = 0xFFFFFFFFu;
    std::size_t got = index.offset_of(p, e);
    std::size_t want = ref_offset(text, ref, p, e);
    FUZZ_CHECK(got == want, enc + ": offset_of(" + show(p) + ") = " + std::to_string(got) +
                                ", expected " + std::to_string(want));
  }
}

void check_change(std::string_view source, PositionEncoding e, Cursor& control) {
  const std::string enc(to_string(e));
  Reference ref = reference(source, e);
  std::optional<Range> range;
  if (control.u8() % 4 != 0) {
    auto pos = [&] {
      return Position{static_cast<std::uint32_t>(control.u8() % (ref.line_starts.size() + 1)),
                      static_cast<std::uint32_t>(control.u8() % 40)};
    };
    range = Range{pos(), pos()};
  }
  std::string inserted(control.take(control.u8() % 16));
  std::size_t start = 0, end = source.size();
  if (range) {
    start = ref_offset(source, ref, range->start, e);
    end = std::max(start, ref_offset(source, ref, range->end, e));
  }
  std::string expected =
      std::string(source.substr(0, start)) + inserted + std::string(source.substr(end));
  std::string text(source);
  ByteEdit edit = apply_content_change(text, range, inserted, e);
  FUZZ_CHECK(text == expected, enc + ": the text after a change");
  FUZZ_CHECK(edit.start_byte == start && edit.old_end_byte == end &&
                 edit.new_end_byte == start + inserted.size(),
             enc + ": edit bytes");
  FUZZ_CHECK(edit.start_point == ref_point(source, start) &&
                 edit.old_end_point == ref_point(source, end) &&
                 edit.new_end_point == ref_point(expected, start + inserted.size()),
             enc + ": edit points");
  // The same change as LSP JSON gives the same result.
  nlohmann::json change = {{"text", inserted}};
  if (range) change["range"] = *range;
  std::string again(source);
  try {
    ByteEdit json_edit = apply_content_change(again, change, e);
    FUZZ_CHECK(json_edit == edit && again == expected,
               enc + ": JSON change differs from the typed one");
  } catch (const nlohmann::json::exception&) {
    // Inserted bytes that are not UTF-8 cannot be a JSON string; a real client never sends them.
  }
}

// A change written by the peer: anything that is not a valid change must be refused with
// the exceptions the endpoint turns into InvalidParams, never by corrupting the text.
void check_json_change(std::string_view source, std::string_view json_text) {
  nlohmann::json change = nlohmann::json::parse(json_text, nullptr, false);
  if (change.is_discarded()) return;
  (void)negotiate_position_encoding(change);
  std::string text(source);
  try {
    (void)apply_content_change(text, change, PositionEncoding::Utf16);
  } catch (const nlohmann::json::exception&) {
  } catch (const std::invalid_argument&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8 * 1024) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto [text, ops] = alembic::fuzz::split_control(input, "#~ops~");
  for (PositionEncoding e :
       {PositionEncoding::Utf16, PositionEncoding::Utf8, PositionEncoding::Utf32}) {
    Cursor control(ops);
    check_index(text, e, control);
    check_change(text, e, control);
  }
  // A trailing JSON object after the ops is a raw content change.
  if (auto brace = ops.find('{'); brace != std::string_view::npos)
    check_json_change(text, ops.substr(brace));
  return 0;
}
