// Position encodings: byte offset <-> {line, character} for every encoding, clamping,
// invalid UTF-8, and incremental content changes.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "protocol/position.h"

using namespace alembic::protocol;
using nlohmann::json;

namespace {

constexpr PositionEncoding kAll[] = {PositionEncoding::Utf16, PositionEncoding::Utf8,
                                     PositionEncoding::Utf32};

Position pos(std::uint32_t line, std::uint32_t character) {
  return {line, character};
}

// Offsets where a character starts (or the text ends): the offsets a position can name.
std::vector<std::size_t> boundaries(std::string_view text) {
  std::vector<std::size_t> out;
  LineIndex index(text);
  for (std::size_t o = 0; o <= text.size(); ++o) {
    // An offset is a boundary when converting it there and back is the identity in UTF-8
    // units: only offsets inside a character or a \r\n pair fail that.
    if (index.offset_of(index.position_of(o, PositionEncoding::Utf8), PositionEncoding::Utf8) ==
        o) {
      out.push_back(o);
    }
  }
  return out;
}

}  // namespace

TEST(Position, NegotiatesUtf8OnlyWhenOffered) {
  EXPECT_EQ(negotiate_position_encoding(
                json::parse(R"({"general":{"positionEncodings":["utf-16","utf-8"]}})")),
            PositionEncoding::Utf8);
  EXPECT_EQ(negotiate_position_encoding(
                json::parse(R"({"general":{"positionEncodings":["utf-32","utf-16"]}})")),
            PositionEncoding::Utf16);
  EXPECT_EQ(negotiate_position_encoding(json::parse(R"({"general":{}})")), PositionEncoding::Utf16);
  EXPECT_EQ(
      negotiate_position_encoding(json::parse(R"({"general":{"positionEncodings":"utf-8"}})")),
      PositionEncoding::Utf16);
  EXPECT_EQ(negotiate_position_encoding(json()), PositionEncoding::Utf16);
  EXPECT_EQ(to_string(PositionEncoding::Utf8), "utf-8");
  EXPECT_EQ(parse_position_encoding("utf-32"), PositionEncoding::Utf32);
  EXPECT_EQ(parse_position_encoding("latin-1"), std::nullopt);
}

TEST(Position, Ascii) {
  LineIndex index("ab\ncd\n");
  EXPECT_EQ(index.line_count(), 3u);
  for (auto enc : kAll) {
    EXPECT_EQ(index.position_of(0, enc), pos(0, 0));
    EXPECT_EQ(index.position_of(2, enc), pos(0, 2));
    EXPECT_EQ(index.position_of(3, enc), pos(1, 0));
    EXPECT_EQ(index.position_of(6, enc), pos(2, 0));
    EXPECT_EQ(index.offset_of(pos(1, 1), enc), 4u);
  }
}

TEST(Position, TwoByteAccents) {
  LineIndex index("h\xC3\xA9llo");  // "héllo": é is 2 bytes, 1 UTF-16 unit
  EXPECT_EQ(index.position_of(3, PositionEncoding::Utf16), pos(0, 2));
  EXPECT_EQ(index.position_of(3, PositionEncoding::Utf8), pos(0, 3));
  EXPECT_EQ(index.position_of(3, PositionEncoding::Utf32), pos(0, 2));
  EXPECT_EQ(index.offset_of(pos(0, 2), PositionEncoding::Utf16), 3u);
  EXPECT_EQ(index.offset_of(pos(0, 3), PositionEncoding::Utf8), 3u);
  // Byte 2 is inside é: snaps back to its start.
  EXPECT_EQ(index.position_of(2, PositionEncoding::Utf16), pos(0, 1));
  EXPECT_EQ(index.offset_of(pos(0, 2), PositionEncoding::Utf8), 1u);
}

TEST(Position, CjkIsThreeBytesOneUnit) {
  LineIndex index("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E=x");  // 日本語=x
  EXPECT_EQ(index.offset_of(pos(0, 1), PositionEncoding::Utf16), 3u);
  EXPECT_EQ(index.offset_of(pos(0, 3), PositionEncoding::Utf16), 9u);
  EXPECT_EQ(index.offset_of(pos(0, 9), PositionEncoding::Utf8), 9u);
  EXPECT_EQ(index.position_of(10, PositionEncoding::Utf16), pos(0, 4));
  EXPECT_EQ(index.position_of(10, PositionEncoding::Utf8), pos(0, 10));
}

TEST(Position, EmojiIsFourBytesTwoUtf16Units) {
  LineIndex index(
      "a\xF0\x9F\x98\x80"
      "b");  // a😀b
  EXPECT_EQ(index.position_of(5, PositionEncoding::Utf16), pos(0, 3));
  EXPECT_EQ(index.position_of(5, PositionEncoding::Utf8), pos(0, 5));
  EXPECT_EQ(index.position_of(5, PositionEncoding::Utf32), pos(0, 2));
  EXPECT_EQ(index.offset_of(pos(0, 3), PositionEncoding::Utf16), 5u);
  // Character 2 falls between the surrogates: snaps to the emoji's start.
  EXPECT_EQ(index.offset_of(pos(0, 2), PositionEncoding::Utf16), 1u);
  EXPECT_EQ(index.offset_of(pos(0, 2), PositionEncoding::Utf32), 5u);
}

TEST(Position, LineBreaksCrLfAndLoneCr) {
  LineIndex index("a\r\nb\rc\n");
  EXPECT_EQ(index.line_count(), 4u);
  EXPECT_EQ(index.line_end(0), 1u);
  EXPECT_EQ(index.line_start(1), 3u);
  EXPECT_EQ(index.position_of(2, PositionEncoding::Utf16), pos(0, 1));  // the \n of \r\n
  EXPECT_EQ(index.position_of(3, PositionEncoding::Utf16), pos(1, 0));
  EXPECT_EQ(index.position_of(5, PositionEncoding::Utf16), pos(2, 0));
  EXPECT_EQ(index.offset_of(pos(0, 5), PositionEncoding::Utf16), 1u);  // before \r\n
  EXPECT_EQ(index.offset_of(pos(2, 1), PositionEncoding::Utf16), 6u);
  EXPECT_EQ(index.offset_of(pos(3, 0), PositionEncoding::Utf16), 7u);
}

TEST(Position, InvalidUtf8BytesCountAsOneUnitEach) {
  struct Case {
    std::string text;
    std::uint32_t units;  // of the whole line in every encoding except where valid
  };
  std::vector<Case> cases = {
      {"\xFF\xFE"
       "ab",
       4},
      {"\xE6\x97"
       "x",
       3},  // truncated 3-byte sequence
      {"\xC0\xAF"
       "x",
       3},  // overlong '/'
      {"\xED\xA0\x80"
       "x",
       4},  // encoded surrogate
      {"\x80\x80"
       "x",
       3},  // stray continuation bytes
      {"\xF4\x90\x80\x80"
       "x",
       5},                  // above U+10FFFF
      {"\xF0\x9F\x98", 3},  // truncated emoji at end of text
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    LineIndex index(c.text);
    for (auto enc : kAll) {
      EXPECT_EQ(index.position_of(c.text.size(), enc), pos(0, c.units));
      for (std::uint32_t u = 0; u <= c.units; ++u) {
        EXPECT_EQ(index.position_of(index.offset_of(pos(0, u), enc), enc), pos(0, u));
      }
    }
  }
}

TEST(Position, Clamping) {
  LineIndex index("ab\nc\xC3\xA9\n");
  for (auto enc : kAll) {
    EXPECT_EQ(index.offset_of(pos(0, 99), enc), 2u);  // past line end: before \n
    EXPECT_EQ(index.offset_of(pos(1, 99), enc), 6u);
    EXPECT_EQ(index.offset_of(pos(2, 99), enc), 7u);  // last (empty) line
    EXPECT_EQ(index.offset_of(pos(9, 0), enc), 7u);   // past the last line: EOF
    EXPECT_EQ(index.position_of(1000, enc), pos(2, 0));
  }
  LineIndex empty("");
  EXPECT_EQ(empty.line_count(), 1u);
  EXPECT_EQ(empty.offset_of(pos(3, 3), PositionEncoding::Utf16), 0u);
  EXPECT_EQ(empty.position_of(5, PositionEncoding::Utf16), pos(0, 0));
}

TEST(Position, RoundTripsEveryBoundaryOfAMixedText) {
  const std::string text =
      "revision = 'a1'\r\n# caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80!\n\xFF"
      "x\r\xF0\x9F\x8E\x89\xF0\x9F\x8E\x89\n\n\xC3\xA9";
  LineIndex index(text);
  auto offsets = boundaries(text);
  EXPECT_GT(offsets.size(), 30u);
  for (auto enc : kAll) {
    SCOPED_TRACE(std::string(to_string(enc)));
    Position previous{0, 0};
    for (std::size_t o : offsets) {
      Position p = index.position_of(o, enc);
      EXPECT_EQ(index.offset_of(p, enc), o) << "offset " << o;
      // Positions increase with offsets.
      EXPECT_TRUE(p.line > previous.line ||
                  (p.line == previous.line && p.character >= previous.character));
      previous = p;
    }
  }
}

TEST(Position, RangesConvertBothWays) {
  LineIndex index("x = \xF0\x9F\x98\x80\nyy");
  Range r{pos(0, 4), pos(1, 1)};
  ByteRange b = index.byte_range_of(r, PositionEncoding::Utf16);
  EXPECT_EQ(b, (ByteRange{4, 10}));
  EXPECT_EQ(index.range_of(b, PositionEncoding::Utf16), r);
  // An end before the start is treated as the start.
  EXPECT_EQ(index.byte_range_of({pos(1, 1), pos(0, 0)}, PositionEncoding::Utf16),
            (ByteRange{10, 10}));
}

TEST(Position, JsonConversion) {
  Range r = json::parse(R"({"start":{"line":1,"character":2},"end":{"line":3,"character":4}})")
                .get<Range>();
  EXPECT_EQ(r, (Range{pos(1, 2), pos(3, 4)}));
  EXPECT_EQ(json(r),
            json::parse(R"({"start":{"line":1,"character":2},"end":{"line":3,"character":4}})"));
  EXPECT_THROW(json::parse(R"({"line":-1,"character":0})").get<Position>(), std::invalid_argument);
  EXPECT_THROW(json::parse(R"({"line":1.5,"character":0})").get<Position>(), std::invalid_argument);
  EXPECT_THROW(json::parse(R"({"line":1})").get<Position>(), json::out_of_range);
  try {
    (void)json::parse(R"({"line":"1","character":0})").get<Position>();
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("position.line"), std::string::npos);
  }
}

TEST(ContentChange, FullReplacement) {
  std::string text = "old\ntext";
  ByteEdit edit = apply_content_change(text, std::nullopt, "new", PositionEncoding::Utf16);
  EXPECT_EQ(text, "new");
  EXPECT_EQ(edit.start_byte, 0u);
  EXPECT_EQ(edit.old_end_byte, 8u);
  EXPECT_EQ(edit.new_end_byte, 3u);
  EXPECT_EQ(edit.old_end_point, (TextPoint{1, 4}));
  EXPECT_EQ(edit.new_end_point, (TextPoint{0, 3}));
}

TEST(ContentChange, MultiEditSequenceInUtf16) {
  // As an editor sends it: each change applies to the result of the previous one.
  std::string text = "revision = 'a'\ndown_revision = None\n";
  auto apply = [&](Range r, std::string_view s) {
    return apply_content_change(text, r, s, PositionEncoding::Utf16);
  };
  ByteEdit e1 = apply({pos(0, 12), pos(0, 13)}, "\xF0\x9F\x98\x80");  // 'a' -> 😀
  EXPECT_EQ(text, "revision = '\xF0\x9F\x98\x80'\ndown_revision = None\n");
  EXPECT_EQ(e1, (ByteEdit{12, 13, 16, {0, 12}, {0, 13}, {0, 16}}));

  ByteEdit e2 = apply({pos(0, 14), pos(0, 14)}, "b");  // after the emoji (2 units) and nothing else
  EXPECT_EQ(text,
            "revision = '\xF0\x9F\x98\x80"
            "b'\ndown_revision = None\n");
  EXPECT_EQ(e2.start_byte, 16u);

  ByteEdit e3 = apply({pos(0, 16), pos(1, 16)}, "\n# x\ny = ");  // across a line break
  EXPECT_EQ(text,
            "revision = '\xF0\x9F\x98\x80"
            "b'\n# x\ny = None\n");
  EXPECT_EQ(e3.start_byte, 18u);
  EXPECT_EQ(e3.old_end_byte, 35u);
  EXPECT_EQ(e3.start_point, (TextPoint{0, 18}));
  EXPECT_EQ(e3.old_end_point, (TextPoint{1, 16}));
  EXPECT_EQ(e3.new_end_point, (TextPoint{2, 4}));

  ByteEdit e4 = apply({pos(2, 0), pos(3, 0)}, "");  // delete a whole line
  EXPECT_EQ(text,
            "revision = '\xF0\x9F\x98\x80"
            "b'\n# x\n");
  EXPECT_EQ(e4.new_end_byte, e4.start_byte);
}

TEST(ContentChange, Utf8AndJsonForm) {
  std::string text = "caf\xC3\xA9 = 1";
  json change = json::parse(
      R"({"range":{"start":{"line":0,"character":5},"end":{"line":0,"character":5}},"text":"x"})");
  ByteEdit edit = apply_content_change(text, change, PositionEncoding::Utf8);
  EXPECT_EQ(text, "caf\xC3\xA9x = 1");
  EXPECT_EQ(edit.start_byte, 5u);
  apply_content_change(text, json::parse(R"({"text":"all new"})"), PositionEncoding::Utf8);
  EXPECT_EQ(text, "all new");
}

TEST(ContentChange, MatchesAReferenceOnRandomEdits) {
  // Reference: work on code points, where every encoding is easy to count.
  const std::vector<std::u32string> pieces = {U"a",  U"\u00e9", U"\u65e5", U"\U0001F600",
                                              U"\n", U"\r\n",   U" "};
  auto encode = [](const std::u32string& s) {
    std::string out;
    for (char32_t c : s) {
      if (c < 0x80) {
        out += static_cast<char>(c);
      } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
      } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
      } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    return out;
  };
  // Position of code point index i, in UTF-16 units (CRLF counts as one break).
  auto position_at = [](const std::u32string& s, std::size_t i) {
    Position p;
    for (std::size_t k = 0; k < i; ++k) {
      if (s[k] == U'\r' && k + 1 < s.size() && s[k + 1] == U'\n') continue;
      if (s[k] == U'\n' || s[k] == U'\r') {
        ++p.line;
        p.character = 0;
      } else {
        p.character += s[k] >= 0x10000 ? 2 : 1;
      }
    }
    return p;
  };
  std::mt19937 rng(12345);
  std::u32string doc = U"revision = '\u00e9'\n";
  std::string text = encode(doc);
  for (int step = 0; step < 500; ++step) {
    auto pick = [&](std::size_t n) {
      return std::uniform_int_distribution<std::size_t>(0, n)(rng);
    };
    std::size_t a = pick(doc.size()), b = pick(doc.size());
    if (a > b) std::swap(a, b);
    // Never split a \r\n pair: LSP positions cannot name the point between them.
    auto inside_crlf = [&](std::size_t i) {
      return i > 0 && i < doc.size() && doc[i - 1] == U'\r' && doc[i] == U'\n';
    };
    if (inside_crlf(a)) --a;
    if (inside_crlf(b)) --b;
    std::u32string inserted;
    for (std::size_t n = pick(3); n > 0; --n) inserted += pieces[pick(pieces.size() - 1)];
    Range range{position_at(doc, a), position_at(doc, b)};
    apply_content_change(text, range, encode(inserted), PositionEncoding::Utf16);
    doc.replace(a, b - a, inserted);
    ASSERT_EQ(text, encode(doc)) << "step " << step;
  }
}
