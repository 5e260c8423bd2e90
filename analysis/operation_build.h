// How one op.* call's arguments become an Operation, written once for both readers of
// operations: the tree-sitter reader (operations.cpp, any Python) and the flat reader
// (operations_flat.cpp, the straight-line bodies autogenerate writes, without a tree).
// `Node` is TSNode or flat::Node; each offers the same free functions, found by
// argument-dependent lookup or in op_calls: is_null, is, range_of, node_text,
// callee_name, arguments_of, for_each_named_child, first_named_child.
#pragma once

#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/operation_calls.h"
#include "analysis/operations.h"
#include "analysis/parse_literal.h"

namespace alembic::op_calls {

template <class Node>
class OperationBuilder {
 public:
  using Args = BasicArguments<Node>;

  explicit OperationBuilder(std::string_view source) : source_(source) {}

  /// Fills `op` (function, range, batch and table for a batch call already set) from the
  /// call's arguments. `bulk_table` reads bulk_insert's table argument.
  void fill(Node node, Operation& op, const std::function<OpValue(Node)>& bulk_table) const {
    const Signature* sig = find_signature(op.function);
    if (!sig) return;
    op.kind = sig->kind;
    const std::vector<const char*>& params = op.batch ? sig->batch_params : sig->params;
    const Args args = arguments_of(source_, node);
    auto arg = [&](const char* param) -> Node {
      auto k = args.keywords.find(param);
      if (k != args.keywords.end()) return k->second;
      for (size_t i = 0; i < params.size(); ++i)
        if (std::strcmp(params[i], param) == 0 && i < args.positional.size())
          return args.positional[i];
      return Node{};
    };
    auto name = [&](const char* param) { return value_of(arg(param)); };
    const bool batch = op.batch;
    switch (op.kind) {
      case OpKind::CreateTable:
        op.table = name("table_name");
        for (size_t i = 1; i < args.positional.size(); ++i)
          if (is(args.positional[i], "call") &&
              callee_name(source_, args.positional[i]) == "Column") {
            const Args column = arguments_of(source_, args.positional[i]);
            op.columns.push_back(name_value(column, 0, "name"));
          }
        break;
      case OpKind::DropTable:
        op.table = name("table_name");
        break;
      case OpKind::RenameTable:
        op.table = name("old_table_name");
        op.new_name = name("new_table_name");
        break;
      case OpKind::AddColumn:
        if (!batch) op.table = name("table_name");
        column(arg("column"), op);
        break;
      case OpKind::DropColumn:
        if (!batch) op.table = name("table_name");
        op.column = name("column_name");
        break;
      case OpKind::AlterColumn:
        if (!batch) op.table = name("table_name");
        op.column = name("column_name");
        op.new_name = value_of(keyword(args, "new_column_name"));
        op.type = source_value(keyword(args, "type_"));
        op.nullable = flag(keyword(args, "nullable"));
        op.server_default = given_flag(keyword(args, "server_default"));
        break;
      case OpKind::CreateIndex:
      case OpKind::DropIndex:
        op.name = name("index_name");
        if (!batch) op.table = name("table_name");
        op.columns = list_of(arg("columns"));
        op.unique = flag(keyword(args, "unique"));
        op.concurrently = flag(keyword(args, "postgresql_concurrently"));
        break;
      case OpKind::CreateConstraint:
        op.name = name("constraint_name");
        if (!batch)
          op.table = name(op.function == "create_foreign_key" ? "source_table" : "table_name");
        if (op.function == "create_foreign_key") {
          op.referent = name("referent_table");
          op.columns = list_of(arg("local_cols"));
        } else {
          op.columns = list_of(arg("columns"));
        }
        break;
      case OpKind::DropConstraint:
        op.name = name("constraint_name");
        if (!batch) op.table = name("table_name");
        op.type = name("type_");
        break;
      case OpKind::Execute:
        op.sql = name("sqltext");
        break;
      case OpKind::BulkInsert:
        op.table = bulk_table(arg("table"));
        break;
      case OpKind::Other:
        break;
    }
  }

  static Node keyword(const Args& args, const char* name) {
    auto it = args.keywords.find(name);
    return it == args.keywords.end() ? Node{} : it->second;
  }

  OpValue name_value(const Args& args, size_t position, const char* keyword_name) const {
    Node k = keyword(args, keyword_name);
    if (!is_null(k)) return value_of(k);
    if (position < args.positional.size()) return value_of(args.positional[position]);
    return {};
  }

  // The value of a string literal, op.f("..."), sa.text("..."), quoted_name("...", ...).
  OpValue value_of(Node node) const {
    OpValue v;
    if (is_null(node)) return v;
    v.range = range_of(node);
    if (is(node, "none")) {
      v.state = OpValue::State::None;
      v.text = "None";
      return v;
    }
    if (auto s = string_literal(node)) {
      v.state = OpValue::State::Literal;
      v.text = std::move(*s);
      return v;
    }
    if (is(node, "call")) {
      const std::string_view fn = callee_name(source_, node);
      if (fn == "f" || fn == "text" || fn == "quoted_name" || fn == "conv") {
        const Args args = arguments_of(source_, node);
        if (!args.positional.empty())
          if (auto s = string_literal(args.positional[0])) {
            v.state = OpValue::State::Literal;
            v.text = std::move(*s);
            return v;
          }
      }
    }
    v.state = OpValue::State::Unknown;
    v.text = std::string(node_text(source_, node));
    return v;
  }

  OpValue source_value(Node node) const {
    OpValue v;
    if (is_null(node)) return v;
    v.range = range_of(node);
    if (is(node, "none")) {
      v.state = OpValue::State::None;
      v.text = "None";
      return v;
    }
    v.state = OpValue::State::Literal;
    v.text = std::string(node_text(source_, node));
    return v;
  }

 private:
  // add_column's Column(name, type, ..., nullable=, server_default=, primary_key=).
  void column(Node node, Operation& op) const {
    if (!is(node, "call") || callee_name(source_, node) != "Column") {
      op.column = source_value(node);
      if (!is_null(node)) op.column.state = OpValue::State::Unknown;
      return;
    }
    const Args args = arguments_of(source_, node);
    op.column = name_value(args, 0, "name");
    if (args.positional.size() > 1) {
      op.type = source_value(args.positional[1]);
    } else if (Node t = keyword(args, "type_"); !is_null(t)) {
      op.type = source_value(t);
    }
    op.nullable = flag(keyword(args, "nullable"));
    if (op.nullable == Flag::Absent && flag(keyword(args, "primary_key")) == Flag::True)
      op.nullable = Flag::False;
    op.server_default = given_flag(keyword(args, "server_default"));
  }

  std::optional<std::string> string_literal(Node node) const {
    if (is(node, "string")) {
      return literal::decode_str(node_text(source_, node), literal::Escapes::Strict);
    }
    if (is(node, "concatenated_string")) {
      std::string out;
      bool ok = true;
      for_each_named_child(node, [&](Node part) {
        auto s = string_literal(part);
        if (!s)
          ok = false;
        else
          out += *s;
        return ok;
      });
      if (ok) return out;
    }
    if (is(node, "parenthesized_expression")) return string_literal(first_named_child(node));
    return std::nullopt;
  }

  std::vector<OpValue> list_of(Node node) const {
    std::vector<OpValue> out;
    if (is(node, "list") || is(node, "tuple")) {
      for_each_named_child(node, [&](Node e) {
        out.push_back(value_of(e));
        return true;
      });
    } else if (!is_null(node)) {
      out.push_back(value_of(node));
    }
    return out;
  }

  static Flag flag(Node node) {
    if (is_null(node)) return Flag::Absent;
    if (is(node, "true")) return Flag::True;
    if (is(node, "false")) return Flag::False;
    return Flag::Unknown;
  }

  static Flag given_flag(Node node) {
    if (is_null(node)) return Flag::Absent;
    return is(node, "none") ? Flag::False : Flag::True;
  }

  std::string_view source_;
};

}  // namespace alembic::op_calls
