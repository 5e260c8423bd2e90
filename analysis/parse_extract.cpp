#include "analysis/parse_extract.h"

#include <vector>

#include "analysis/docstring.h"
#include "analysis/parse_literal.h"
#include "analysis/python_scan.h"
#include "analysis/ts_python.h"

namespace alembic::extract {

namespace {

constexpr TSSymbol kErrorSymbol = static_cast<TSSymbol>(-1);
constexpr size_t kMaxSyntaxErrors = 50;

bool is_error(TSNode n) {
  return ts_node_symbol(n) == kErrorSymbol;
}

// The only named child that is not a comment, or a null node when there is not
// exactly one.
TSNode sole_child(TSNode n) {
  TSNode found{};
  int count = 0;
  ts::for_each_named_child(n, [&](TSNode c) {
    found = c;
    return ++count < 2;
  });
  return count == 1 ? found : TSNode{};
}

// `(("a"))` is the str "a": parentheses around one expression change nothing.
TSNode unwrap(TSNode n) {
  const auto& sym = ts::symbols();
  while (ts_node_symbol(n) == sym.parenthesized_expression) {
    TSNode inner = sole_child(n);
    if (ts_node_is_null(inner)) break;
    n = inner;
  }
  return n;
}

bool is_string_expr(TSNode n) {
  const auto& sym = ts::symbols();
  TSSymbol s = ts_node_symbol(n);
  return s == sym.string || s == sym.concatenated_string;
}

// The `string` parts of a string or an implicit concatenation, in order.
std::vector<TSNode> string_parts(TSNode n) {
  const auto& sym = ts::symbols();
  std::vector<TSNode> parts;
  if (ts_node_symbol(n) == sym.string) {
    parts.push_back(n);
    return parts;
  }
  ts::for_each_named_child(n, [&](TSNode c) {
    if (ts_node_symbol(c) == sym.string) parts.push_back(c);
    return true;
  });
  return parts;
}

}  // namespace

std::string_view Extractor::text(TSNode node) const {
  return ts::text(source_, node);
}

std::vector<Extractor::Part> Extractor::parts_of(TSNode expr) const {
  std::vector<Part> parts;
  for (TSNode p : string_parts(expr)) parts.push_back({text(p), ts_node_start_byte(p)});
  return parts;
}

SourceRange Extractor::range(TSNode node) const {
  SourceRange r;
  r.start_byte = ts_node_start_byte(node);
  r.end_byte = ts_node_end_byte(node);
  TSPoint a = ts_node_start_point(node), b = ts_node_end_point(node);
  r.start_line = a.row;
  r.start_column = a.column;
  r.end_line = b.row;
  r.end_column = b.column;
  return r;
}

void Extractor::statement(TSNode node) {
  const auto& sym = ts::symbols();
  const TSSymbol s = ts_node_symbol(node);
  if (s == kErrorSymbol) {
    salvage(node);
    return;
  }
  if (s != sym.expression_statement) return;
  TSNode expr = sole_child(node);
  if (ts_node_is_null(expr)) return;
  const TSSymbol e = ts_node_symbol(expr);
  if (e == sym.string || e == sym.concatenated_string) {
    docstring(expr);
  } else if (e == sym.assignment) {
    assignment(expr);
  } else if (e == sym.augmented_assignment) {
    augmented(expr);
  }
}

void Extractor::docstring(TSNode expr) {
  if (!docstring_open_) return;
  std::vector<Part> parts = parts_of(expr);
  for (const Part& p : parts) {
    literal::Prefix prefix = literal::read_prefix(p.text);
    if (prefix.bytes || prefix.formatted) return;  // not a str: keep looking
  }
  if (ts_node_has_error(expr)) {
    docstring_open_ = false;
    return;
  }
  docstring_literal(parts, range(expr));
}

void Extractor::docstring_literal(const std::vector<Part>& parts, const SourceRange& range) {
  if (!docstring_open_) return;
  docstring_open_ = false;
  if (parts.empty()) return;
  std::string value;
  std::vector<uint32_t> offsets, part_offsets;
  for (size_t i = 0; i < parts.size(); ++i) {
    auto decoded = literal::decode_str(parts[i].text, literal::Escapes::Verbatim, &part_offsets);
    if (!decoded) return;
    value += *decoded;
    // decode_str ends with the closing quote's offset; only the last part keeps it.
    if (i + 1 < parts.size()) part_offsets.pop_back();
    for (uint32_t o : part_offsets) offsets.push_back(parts[i].start_byte + o);
  }
  DocstringHeader& h = out_.docstring;
  h.present = true;
  h.range = range;
  literal::PointCursor cursor(source_, h.range.start_byte, h.range.start_line,
                              h.range.start_column);
  docstring::read_header(value, offsets, cursor, h);
}

AssignedValue& Extractor::slot(std::string_view name) {
  if (name == "revision") return out_.revision;
  if (name == "down_revision") return out_.down_revision;
  if (name == "branch_labels") return out_.branch_labels;
  return out_.depends_on;
}

void Extractor::assignment(TSNode node) {
  const auto& sym = ts::symbols();
  std::vector<TSNode> targets;
  TSNode value{};
  for (TSNode cur = node;;) {
    targets.push_back(ts_node_child_by_field_id(cur, sym.left));
    TSNode right = ts_node_child_by_field_id(cur, sym.right);
    if (ts_node_is_null(right)) return;  // `NAME: T` declares, binds nothing
    if (ts_node_symbol(right) != sym.assignment) {
      value = right;
      break;
    }
    cur = right;
  }
  // Read the values first: `revision = REV` must see REV as it was before this line.
  for (TSNode t : targets) {
    if (ts_node_is_null(t) || ts_node_symbol(t) != sym.identifier) continue;
    std::string_view name = text(t);
    if (!scan::is_alembic_name(name)) continue;
    slot(name) = read_value(t, value);
    docstring_open_ = false;
  }
  std::optional<std::string> bound = literal(unwrap(value));
  for (TSNode t : targets) {
    if (!ts_node_is_null(t) && ts_node_symbol(t) == sym.identifier) names_[text(t)] = bound;
  }
}

void Extractor::augmented(TSNode node) {
  const auto& sym = ts::symbols();
  TSNode target = ts_node_child_by_field_id(node, sym.left);
  if (ts_node_is_null(target) || ts_node_symbol(target) != sym.identifier) return;
  std::string_view name = text(target);
  names_[name] = std::nullopt;
  if (!scan::is_alembic_name(name)) return;
  // `revision += "x"` depends on the earlier value: kept as written, never guessed.
  AssignedValue v;
  v.present = true;
  v.name_range = range(target);
  v.value_range = range(node);
  v.unresolved.push_back({std::string(text(node)), range(node)});
  slot(name) = std::move(v);
}

// An ERROR node that starts like `NAME = ...` (or `NAME: T = ...`): the name is
// assigned but its value cannot be read. Statements tree-sitter recovered inside it
// are read as usual.
void Extractor::salvage(TSNode error) {
  const auto& sym = ts::symbols();
  // Children in one cursor walk: ts_node_child(error, i) costs O(i) in tree-sitter 0.20,
  // and an ERROR node can have tens of thousands of them.
  std::vector<TSNode> children;
  {
    TSTreeCursor cur = ts_tree_cursor_new(error);
    if (ts_tree_cursor_goto_first_child(&cur)) {
      do children.push_back(ts_tree_cursor_current_node(&cur));
      while (ts_tree_cursor_goto_next_sibling(&cur));
    }
    ts_tree_cursor_delete(&cur);
  }
  const auto k = static_cast<uint32_t>(children.size());
  for (uint32_t i = 0; i < k; ++i) {
    TSNode c = children[i];
    if (ts_node_symbol(c) == sym.expression_statement) {
      statement(c);
      continue;
    }
    if (ts_node_symbol(c) != sym.identifier || ts_node_start_byte(c) != ts_node_start_byte(error))
      continue;
    uint32_t eq = i + 1;
    while (eq < k && std::string_view(ts_node_type(children[eq])) != "=") ++eq;
    if (eq >= k) continue;
    std::string_view name = text(c);
    names_[name] = std::nullopt;
    if (!scan::is_alembic_name(name)) continue;
    TSNode eq_node = children[eq];
    AssignedValue v;
    v.present = true;
    v.name_range = range(c);
    SourceRange r = range(error);
    r.start_byte = ts_node_end_byte(eq_node);
    TSPoint p = ts_node_end_point(eq_node);
    r.start_line = p.row;
    r.start_column = p.column;
    if (eq + 1 < k) {
      TSNode first = children[eq + 1];
      r = range(first);
      r.end_byte = ts_node_end_byte(error);
      TSPoint e = ts_node_end_point(error);
      r.end_line = e.row;
      r.end_column = e.column;
    } else {
      r.end_byte = r.start_byte;
      r.end_line = r.start_line;
      r.end_column = r.start_column;
    }
    v.value_range = r;
    v.unresolved.push_back(
        {std::string(source_.substr(r.start_byte, r.end_byte - r.start_byte)), r});
    slot(name) = std::move(v);
    docstring_open_ = false;
  }
}

AssignedValue Extractor::read_value(TSNode target, TSNode value) const {
  const auto& sym = ts::symbols();
  AssignedValue v;
  v.present = true;
  v.name_range = range(target);
  v.value_range = range(value);
  TSNode n = unwrap(value);
  const TSSymbol s = ts_node_symbol(n);
  if (s == sym.none) {
    v.is_none = true;
  } else if (s == sym.tuple || s == sym.list || s == sym.expression_list) {
    v.is_sequence = true;
    ts::for_each_named_child(n, [&](TSNode c) {
      element(c, v);
      return true;
    });
  } else {
    element(n, v);
  }
  return v;
}

void Extractor::element(TSNode node, AssignedValue& v) const {
  const auto& sym = ts::symbols();
  node = unwrap(node);
  if (is_string_expr(node)) {
    if (auto s = literal(node)) {
      v.strings.push_back({std::move(*s), range(node)});
      return;
    }
  } else if (ts_node_symbol(node) == sym.identifier) {
    auto it = names_.find(text(node));
    if (it != names_.end() && it->second) {
      v.strings.push_back({*it->second, range(node)});
      return;
    }
  }
  v.unresolved.push_back({std::string(text(node)), range(node)});
}

// The value of a str literal or implicit concatenation; nothing for anything else
// (bytes, f-strings, undecodable escapes, syntax errors).
std::optional<std::string> Extractor::literal(TSNode node) const {
  if (!is_string_expr(node) || ts_node_has_error(node)) return std::nullopt;
  return literal_value(parts_of(node));
}

std::optional<std::string> Extractor::literal_value(const std::vector<Part>& parts) {
  std::string value;
  for (const Part& p : parts) {
    auto part = literal::decode_str(p.text, literal::Escapes::Strict);
    if (!part) return std::nullopt;
    value += *part;
  }
  return value;
}

void Extractor::collect_errors(TSNode root) {
  if (!ts_node_has_error(root)) return;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cursor);
    bool descend = false;
    if (is_error(n) || ts_node_is_missing(n)) {
      if (out_.syntax_errors.size() >= kMaxSyntaxErrors) break;
      std::string message = "syntax error";
      if (ts_node_is_missing(n)) {
        std::string_view type = ts_node_type(n);
        if (type == "string_end")
          message = "missing closing quote";
        else if (ts_node_is_named(n))
          message = "missing " + std::string(type);
        else
          message = "missing '" + std::string(type) + "'";
      }
      out_.syntax_errors.push_back({range(n), std::move(message)});
    } else {
      descend = ts_node_has_error(n);
    }
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
    bool moved = false;
    while (!moved) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        moved = true;
      } else if (!ts_tree_cursor_goto_parent(&cursor)) {
        break;
      }
    }
    if (!moved) break;
  }
  ts_tree_cursor_delete(&cursor);
}

}  // namespace alembic::extract
