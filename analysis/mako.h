// A small Mako renderer: the subset that Alembic's script.py.mako templates use, with
// Mako 1.2's exact lexing (control lines, `##` comments, `\`-newline, the `%%` quirk).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alembic::mako {

/// A Python value as a template sees it.
struct Value {
  enum class Kind {
    Undefined,  ///< a name the caller did not pass (Mako's UNDEFINED: falsy, str() fails)
    None,
    Bool,
    Str,          ///< `text`
    StrTuple,     ///< `items`
    StrList,      ///< `items`, a list (repr `['a', 'b']`)
    CommaFilter,  ///< Alembic's util.format_as_comma, passed to templates as `comma`
    Opaque,       ///< any other object: truthy; str() is `text` when `has_str`, else unsupported
  };
  Kind kind = Kind::Undefined;
  std::string text;
  std::vector<std::string> items;
  bool flag = false;     ///< Bool
  bool has_str = false;  ///< Opaque

  static Value undefined() { return {}; }
  static Value none() { return {Kind::None, {}, {}, false, false}; }
  static Value boolean(bool b) { return {Kind::Bool, {}, {}, b, false}; }
  static Value str(std::string s) { return {Kind::Str, std::move(s), {}, false, false}; }
  static Value tuple(std::vector<std::string> v) {
    return {Kind::StrTuple, {}, std::move(v), false, false};
  }
  static Value list(std::vector<std::string> v) {
    return {Kind::StrList, {}, std::move(v), false, false};
  }
  static Value comma_filter() { return {Kind::CommaFilter, {}, {}, false, false}; }
  /// An object whose str() is `str_form` (e.g. a datetime), or unknown when nullopt.
  static Value opaque(std::optional<std::string> str_form) {
    return {Kind::Opaque, str_form.value_or(""), {}, false, str_form.has_value()};
  }
};

/// The names a template may use. A name missing from the map makes the template
/// unsupported (Alembic may have passed it through env.py's template_args).
using Variables = std::map<std::string, Value, std::less<>>;

/// Renders `tmpl` the way Mako 1.2 (`Template(filename=...).render_unicode(**vars)`) does.
/// Supported: `${expr}` and `${expr | f1, f2}` with the filters n, str, trim and
/// variables holding a filter (`comma`); expressions of names, string literals, None/True/False,
/// repr()/str()/comma() calls, not/and/or and `a if c else b`; `% if/elif/else/endif`;
/// `##` comment lines; `<%doc>`; `<%text>`. Anything else, or a render that would fail
/// in Mako (str() of an undefined name, ...), returns std::nullopt and sets `why` to
/// "line N: <reason>".
std::optional<std::string> render(std::string_view tmpl, const Variables& vars,
                                  std::string* why = nullptr);

}  // namespace alembic::mako
