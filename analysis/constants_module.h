// What a Python module binds at module level, read from its tree without running it:
// the raw material of the constant resolution (constants.h). Nothing here knows
// about Alembic or the file system.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace alembic::constants {

/// An expression the resolver can follow: a str literal, None, a name with
/// attributes (`cli.CONTRACT_BRANCH`), or a tuple / list of those. Anything else is
/// Other and never resolves.
struct Expr {
  enum Kind { Other, Str, None, Name, Sequence } kind = Other;
  std::string text;                ///< Str: the value; Name: the first identifier
  std::vector<std::string> attrs;  ///< Name: the attributes after it, in order
  std::vector<Expr> items;         ///< Sequence
};

/// One module-level binding of a name, in source order.
struct Binding {
  enum Kind {
    Value,       ///< NAME = expr
    Import,      ///< import a.b (binds a, module "a") / import a.b as z (module "a.b")
    FromImport,  ///< from [.]module import attr [as NAME]
    Class,       ///< class NAME: with the body's simple assignments
    Unknown      ///< anything else: a def, a loop target, a binding inside if/try/...
  };
  Kind kind = Unknown;
  std::string name;
  uint32_t at = 0;     ///< the binding statement's first byte
  Expr value;          ///< Value
  std::string module;  ///< Import, FromImport: dotted module name (may be empty if relative)
  int level = 0;       ///< FromImport: leading dots of a relative import
  std::string attr;    ///< FromImport: the imported name
  std::vector<Binding> members;  ///< Class: its body's bindings (Value or Unknown)
};

struct ModuleBindings {
  std::vector<Binding> bindings;  ///< in source order
  bool readable = false;          ///< parsed without syntax errors
  bool star_import = false;       ///< has `from x import *`: unknown names may come from it
};

/// Reads `source` whole with tree-sitter. A module with a syntax error is not
/// readable: Python would not import it.
ModuleBindings read_bindings(std::string_view source);

/// `a`, `a.b.C` (spaces around dots allowed): a Name expression; anything else Other.
Expr dotted_name(std::string_view text);

/// The latest binding of `name` among `bindings` that starts before `before`.
const Binding* latest(const std::vector<Binding>& bindings, std::string_view name, uint32_t before);

}  // namespace alembic::constants
