// The bits of Python 3 `str` behaviour needed to reproduce what Alembic writes:
// repr() of str / tuple of str / None, `re` `\w`, str.isprintable(), str.isspace()
// and str.lower(). Character properties follow Unicode 14.0 (Python 3.11).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alembic::python {

/// UTF-8 to code points; each byte of an invalid sequence becomes U+FFFD.
std::u32string decode_utf8(std::string_view utf8);

/// Code points to UTF-8 (surrogates and out-of-range values become U+FFFD).
std::string encode_utf8(std::u32string_view text);

/// Whether `re.match(r"\w", ch)` matches for a str pattern: '_' or str.isalnum()
/// (general categories L* and N*).
bool is_word_char(char32_t ch);

/// str.isprintable() for one character.
bool is_printable(char32_t ch);

/// str.isspace() for one character.
bool is_space(char32_t ch);

/// str.strip() of UTF-8 text.
std::string strip(std::string_view utf8);

/// str.lower(): full lowercase mapping, including U+0130 and the Final_Sigma rule.
std::u32string lower(std::u32string_view text);

/// repr() of a str given as UTF-8: `'abc'`, `"it's"`, `'a\nb'`, `'\x00'`, `'é'`.
std::string repr_str(std::string_view utf8);

/// repr() of a tuple of str: `()`, `('a',)`, `('a', 'b')`.
std::string repr_str_tuple(const std::vector<std::string>& items);

/// The value of a non-raw Python str literal's body (between the quotes): `\n`, `\x41`,
/// `\u00e9`, octal, backslash-newline; unknown escapes stay as written, like Python.
/// std::nullopt and `error` set on a malformed escape or `\N{...}` (not supported).
std::optional<std::string> decode_escapes(std::string_view body, std::string* error = nullptr);

/// repr(None).
inline constexpr std::string_view kReprNone = "None";

}  // namespace alembic::python
