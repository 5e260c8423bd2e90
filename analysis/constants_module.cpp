#include "analysis/constants_module.h"

#include <tree_sitter/api.h>

#include <cstring>

#include "analysis/parse_extract.h"
#include "analysis/ts_python.h"

namespace alembic::constants {

namespace {

bool is(TSNode n, const char* type) {
  return std::strcmp(ts_node_type(n), type) == 0;
}

TSNode field(TSNode n, const char* name) {
  return ts_node_child_by_field_name(n, name, static_cast<uint32_t>(std::strlen(name)));
}

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || (c >= '0' && c <= '9');
}

class Reader {
 public:
  explicit Reader(std::string_view source) : src_(source) {}

  ModuleBindings run() {
    ModuleBindings out;
    ts::Tree tree = ts::parse_full(src_);
    if (!tree) return out;
    TSNode root = ts_tree_root_node(tree.get());
    if (ts_node_has_error(root)) return out;
    out.readable = true;
    ts::for_each_named_child(root, [&](TSNode c) {
      statement(c, out.bindings, out.star_import);
      return true;
    });
    return out;
  }

 private:
  std::string_view text(TSNode n) const { return ts::text(src_, n); }

  void unknown(std::string_view name, uint32_t at, std::vector<Binding>& out) const {
    Binding b;
    b.kind = Binding::Unknown;
    b.name = std::string(name);
    b.at = at;
    out.push_back(std::move(b));
  }

  Expr expr(TSNode n) const {
    Expr e;
    while (is(n, "parenthesized_expression")) {
      TSNode inner{};
      int count = 0;
      ts::for_each_named_child(n, [&](TSNode c) {
        inner = c;
        return ++count < 2;
      });
      if (count != 1) return e;
      n = inner;
    }
    if (is(n, "string") || is(n, "concatenated_string")) {
      std::vector<extract::Extractor::Part> parts;
      if (is(n, "string")) {
        parts.push_back({text(n), ts_node_start_byte(n)});
      } else {
        ts::for_each_named_child(n, [&](TSNode c) {
          if (is(c, "string")) parts.push_back({text(c), ts_node_start_byte(c)});
          return true;
        });
      }
      if (auto v = extract::Extractor::literal_value(parts)) {
        e.kind = Expr::Str;
        e.text = std::move(*v);
      }
      return e;
    }
    if (is(n, "none")) {
      e.kind = Expr::None;
      return e;
    }
    if (is(n, "identifier") || is(n, "attribute")) return dotted_name(text(n));
    if (is(n, "tuple") || is(n, "list") || is(n, "expression_list")) {
      e.kind = Expr::Sequence;
      bool ok = true;
      ts::for_each_named_child(n, [&](TSNode c) {
        Expr item = expr(c);
        if (item.kind == Expr::Other || item.kind == Expr::Sequence) ok = false;
        e.items.push_back(std::move(item));
        return ok;
      });
      if (!ok) return Expr{};
      return e;
    }
    return e;
  }

  // The names a target binds (`a`, `a, b`, `(a, [b, *c])`), added as unknown; an
  // attribute or subscript target (`Foo.X = ...`) changes what its root name holds.
  void target_names(TSNode t, uint32_t at, std::vector<Binding>& out) const {
    if (is(t, "identifier")) {
      unknown(text(t), at, out);
    } else if (is(t, "attribute") || is(t, "subscript")) {
      TSNode root = t;
      while (is(root, "attribute") || is(root, "subscript")) {
        TSNode inner = field(root, is(root, "attribute") ? "object" : "value");
        if (ts_node_is_null(inner)) return;
        root = inner;
      }
      if (is(root, "identifier")) unknown(text(root), at, out);
    } else {
      ts::for_each_named_child(t, [&](TSNode c) {
        target_names(c, at, out);
        return true;
      });
    }
  }

  void assignment(TSNode a, uint32_t at, std::vector<Binding>& out) const {
    std::vector<TSNode> targets;
    TSNode value{};
    for (TSNode cur = a;;) {
      targets.push_back(field(cur, "left"));
      TSNode right = field(cur, "right");
      if (ts_node_is_null(right)) return;  // `NAME: T` binds nothing
      if (!is(right, "assignment")) {
        value = right;
        break;
      }
      cur = right;
    }
    const Expr e = expr(value);
    for (TSNode t : targets) {
      if (ts_node_is_null(t)) continue;
      if (is(t, "identifier")) {
        Binding b;
        b.kind = Binding::Value;
        b.name = std::string(text(t));
        b.at = at;
        b.value = e;
        out.push_back(std::move(b));
      } else {
        target_names(t, at, out);
      }
    }
  }

  void import_names(TSNode n, uint32_t at, std::vector<Binding>& out) const {
    const bool from = is(n, "import_from_statement");
    std::string module;
    int level = 0;
    if (from) {
      TSNode m = field(n, "module_name");
      if (ts_node_is_null(m)) return;
      if (is(m, "relative_import")) {
        ts::for_each_named_child(m, [&](TSNode c) {
          if (is(c, "import_prefix")) level = static_cast<int>(text(c).size());
          if (is(c, "dotted_name")) module = joined(text(c));
          return true;
        });
      } else {
        module = joined(text(m));
      }
    }
    TSTreeCursor cur = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&cur)) {
      do {
        const char* f = ts_tree_cursor_current_field_name(&cur);
        if (!f || std::strcmp(f, "name") != 0) continue;
        TSNode c = ts_tree_cursor_current_node(&cur);
        std::string dotted, alias;
        if (is(c, "aliased_import")) {
          dotted = joined(text(field(c, "name")));
          alias = std::string(text(field(c, "alias")));
        } else {
          dotted = joined(text(c));
        }
        Binding b;
        b.at = at;
        if (from) {
          b.kind = Binding::FromImport;
          b.module = module;
          b.level = level;
          b.attr = dotted;
          b.name = alias.empty() ? dotted : alias;
        } else {
          b.kind = Binding::Import;
          b.module = alias.empty() ? dotted.substr(0, dotted.find('.')) : dotted;
          b.name = alias.empty() ? b.module : alias;
        }
        if (!b.name.empty()) out.push_back(std::move(b));
      } while (ts_tree_cursor_goto_next_sibling(&cur));
    }
    ts_tree_cursor_delete(&cur);
  }

  // `a . b` as written in a dotted_name: "a.b".
  std::string joined(std::string_view t) const {
    std::string s;
    for (char c : t)
      if (c != ' ' && c != '\t' && c != '\\' && c != '\n' && c != '\r') s += c;
    return s;
  }

  // Every name a compound statement (if, try, for, with, while, match) may bind,
  // found without entering function or class bodies (their own scopes).
  void names_bound_in(TSNode root, uint32_t at, std::vector<Binding>& out) const {
    std::vector<TSNode> stack{root};
    while (!stack.empty()) {
      TSNode n = stack.back();
      stack.pop_back();
      if (is(n, "assignment") || is(n, "augmented_assignment") || is(n, "for_statement") ||
          is(n, "for_in_clause")) {
        TSNode t = field(n, "left");
        if (!ts_node_is_null(t)) target_names(t, at, out);
      } else if (is(n, "import_statement") || is(n, "import_from_statement")) {
        std::vector<Binding> imported;
        import_names(n, at, imported);
        for (const Binding& b : imported) unknown(b.name, at, out);
        if (!ts_node_is_null(n) && is(n, "import_from_statement")) {
          // `from x import *` inside a block: anything may be bound.
          ts::for_each_named_child(n, [&](TSNode c) {
            if (is(c, "wildcard_import")) unknown("*", at, out);
            return true;
          });
        }
      } else if (is(n, "function_definition") || is(n, "class_definition")) {
        TSNode name = field(n, "name");
        if (!ts_node_is_null(name)) unknown(text(name), at, out);
        continue;
      } else if (is(n, "named_expression")) {
        TSNode name = field(n, "name");
        if (!ts_node_is_null(name)) unknown(text(name), at, out);
      } else if (is(n, "as_pattern_target") || is(n, "delete_statement")) {
        target_names(n, at, out);
      } else if (is(n, "except_clause")) {
        TSNode alias = field(n, "alias");
        if (!ts_node_is_null(alias)) target_names(alias, at, out);
      }
      ts::for_each_named_child(n, [&](TSNode c) {
        stack.push_back(c);
        return true;
      });
    }
  }

  void class_body(TSNode cls, Binding& b) const {
    TSNode body = field(cls, "body");
    if (ts_node_is_null(body)) return;
    bool star = false;
    ts::for_each_named_child(body, [&](TSNode c) {
      statement(c, b.members, star);
      return true;
    });
    // Inside a class, imports and nested classes are not followed: members are
    // plain values or unknown.
    for (Binding& m : b.members)
      if (m.kind != Binding::Value) m.kind = Binding::Unknown;
  }

  void statement(TSNode n, std::vector<Binding>& out, bool& star) const {
    const uint32_t at = ts_node_start_byte(n);
    if (is(n, "expression_statement")) {
      ts::for_each_named_child(n, [&](TSNode c) {
        if (is(c, "assignment")) {
          assignment(c, at, out);
        } else if (is(c, "augmented_assignment")) {
          TSNode t = field(c, "left");
          if (!ts_node_is_null(t)) target_names(t, at, out);
        } else {
          names_bound_in(c, at, out);  // walrus operators
        }
        return true;
      });
    } else if (is(n, "import_statement") || is(n, "import_from_statement")) {
      import_names(n, at, out);
      ts::for_each_named_child(n, [&](TSNode c) {
        if (!is(c, "wildcard_import")) return true;
        star = true;
        unknown("*", at, out);  // may rebind any name
        return false;
      });
    } else if (is(n, "class_definition")) {
      Binding b;
      b.kind = Binding::Class;
      b.name = std::string(text(field(n, "name")));
      b.at = at;
      class_body(n, b);
      out.push_back(std::move(b));
    } else if (is(n, "function_definition")) {
      unknown(text(field(n, "name")), at, out);
    } else if (is(n, "decorated_definition")) {
      // A decorator may replace the class or function with anything.
      TSNode d = field(n, "definition");
      if (!ts_node_is_null(d)) unknown(text(field(d, "name")), at, out);
    } else if (is(n, "future_import_statement") || is(n, "pass_statement") ||
               is(n, "print_statement")) {
      // binds nothing
    } else {
      names_bound_in(n, at, out);
    }
  }

  std::string_view src_;
};

}  // namespace

ModuleBindings read_bindings(std::string_view source) {
  return Reader(source).run();
}

Expr dotted_name(std::string_view t) {
  Expr e;
  std::vector<std::string> parts;
  size_t i = 0;
  auto space = [&] {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
  };
  for (;;) {
    space();
    if (i >= t.size() || !is_ident_start(t[i])) return Expr{};
    const size_t from = i;
    while (i < t.size() && is_ident_char(t[i])) ++i;
    parts.emplace_back(t.substr(from, i - from));
    space();
    if (i == t.size()) break;
    if (t[i] != '.') return Expr{};
    ++i;
  }
  static constexpr std::string_view kKeywords[] = {
      "None", "True", "False", "and", "or", "not", "in", "is", "lambda", "if", "else", "await"};
  for (const std::string& p : parts)
    for (std::string_view k : kKeywords)
      if (p == k) return Expr{};
  e.kind = Expr::Name;
  e.text = parts.front();
  e.attrs.assign(parts.begin() + 1, parts.end());
  return e;
}

const Binding* latest(const std::vector<Binding>& bindings, std::string_view name,
                      uint32_t before) {
  const Binding* found = nullptr;
  for (const Binding& b : bindings) {
    if (b.at >= before) break;
    if (b.name == name || b.name == "*") found = &b;
  }
  return found;
}

}  // namespace alembic::constants
