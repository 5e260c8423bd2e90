#include "analysis/operations.h"

#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "analysis/operation_calls.h"
#include "analysis/parse_literal.h"
#include "analysis/ts_python.h"

namespace alembic {

namespace {

using namespace op_calls;

class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  MigrationOperations read() {
    MigrationOperations out;
    if (source_.size() > ts::kMaxFullTree) {
      out.too_large = true;
      return out;
    }
    tree_ = ts::parse_full(source_);
    if (!tree_) return out;
    TSNode root = ts_tree_root_node(tree_.get());
    // Module-level functions (helpers may be called from upgrade()) and table() bindings.
    ts::for_each_named_child(root, [&](TSNode stmt) {
      TSNode def = definition_of(stmt);
      if (!ts_node_is_null(def)) {
        TSNode name = ts_node_child_by_field_name(def, "name", 4);
        functions_[std::string(ts::text(source_, name))] = def;
      } else {
        note_table_binding(stmt, module_tables_);
      }
      return true;
    });
    read_function("upgrade", out.upgrade);
    read_function("downgrade", out.downgrade);
    return out;
  }

 private:
  struct Context {
    std::string helper;
    bool conditional = false;
    bool autocommit = false;
    std::map<std::string, OpValue, std::less<>> batches;     // alias -> table
    std::map<std::string, std::string, std::less<>> tables;  // name -> table() name
  };

  static TSNode definition_of(TSNode stmt) {
    if (is(stmt, "decorated_definition"))
      stmt = ts_node_child_by_field_name(stmt, "definition", 10);
    return is(stmt, "function_definition") ? stmt : TSNode{};
  }

  void read_function(const std::string& name, FunctionOperations& out) {
    auto it = functions_.find(name);
    if (it == functions_.end()) return;
    TSNode def = it->second;
    out.name_range = range_of(ts_node_child_by_field_name(def, "name", 4));
    TSNode body = ts_node_child_by_field_name(def, "body", 4);
    out.body = body_kind(body);
    Context context;
    visiting_ = {name};
    block(body, context, out.operations);
  }

  BodyKind body_kind(TSNode body) const {
    BodyKind kind = BodyKind::Empty;
    bool first = true;
    ts::for_each_named_child(body, [&](TSNode stmt) {
      if (is(stmt, "pass_statement")) return true;
      if (is(stmt, "expression_statement")) {
        TSNode e = ts_node_named_child(stmt, 0);
        // A docstring or `...` does nothing.
        if (is(e, "string") || is(e, "concatenated_string") || is(e, "ellipsis")) return true;
      }
      kind = first && is(stmt, "raise_statement") ? BodyKind::Raises : BodyKind::Statements;
      first = false;
      return false;
    });
    return kind;
  }

  void block(TSNode node, Context& context, std::vector<Operation>& out) {
    if (ts_node_is_null(node)) return;
    ts::for_each_named_child(node, [&](TSNode stmt) {
      statement(stmt, context, out);
      return true;
    });
  }

  void statement(TSNode stmt, Context& context, std::vector<Operation>& out) {
    if (is(stmt, "expression_statement")) {
      ts::for_each_named_child(stmt, [&](TSNode e) {
        expression(e, context, out);
        return true;
      });
    } else if (is(stmt, "with_statement")) {
      with_statement(stmt, context, out);
    } else if (is(stmt, "if_statement") || is(stmt, "for_statement") ||
               is(stmt, "while_statement") || is(stmt, "try_statement") ||
               is(stmt, "elif_clause") || is(stmt, "else_clause") || is(stmt, "except_clause") ||
               is(stmt, "finally_clause")) {
      Context inner = context;
      inner.conditional = true;
      ts::for_each_named_child(stmt, [&](TSNode child) {
        if (is(child, "block")) {
          block(child, inner, out);
        } else if (is(child, "elif_clause") || is(child, "else_clause") ||
                   is(child, "except_clause") || is(child, "finally_clause")) {
          statement(child, inner, out);
        }
        return true;
      });
      // A `for` or `if` may bind table() names used later in the function.
      for (auto& [k, v] : inner.tables) context.tables.emplace(k, v);
    }
  }

  void expression(TSNode e, Context& context, std::vector<Operation>& out) {
    if (is(e, "assignment")) {
      note_assignment(e, context.tables);
      TSNode right = ts_node_child_by_field_name(e, "right", 5);
      if (is(right, "call")) call(right, context, out);
    } else if (is(e, "call")) {
      call(e, context, out);
    } else if (is(e, "await")) {
      expression(ts_node_named_child(e, 0), context, out);
    }
  }

  void with_statement(TSNode stmt, Context& context, std::vector<Operation>& out) {
    Context inner = context;
    TSNode clause{};
    ts::for_each_named_child(stmt, [&](TSNode c) {
      if (is(c, "with_clause")) clause = c;
      return true;
    });
    if (!ts_node_is_null(clause)) {
      ts::for_each_named_child(clause, [&](TSNode item) {
        TSNode value = ts_node_child_by_field_name(item, "value", 5);
        TSNode alias{};
        if (is(value, "as_pattern")) {
          alias = ts_node_child_by_field_name(value, "alias", 5);
          value = ts_node_named_child(value, 0);
        }
        if (!is(value, "call")) return true;
        const std::string_view name = callee_name(source_, value);
        if (name == "autocommit_block") inner.autocommit = true;
        if (name == "batch_alter_table" && op_receiver(value, context)) {
          Arguments args = arguments_of(source_, value);
          OpValue table = name_value(args, 0, "table_name");
          std::string alias_name = "batch_op";
          if (!ts_node_is_null(alias)) {
            TSNode id = is(alias, "identifier") ? alias : ts_node_named_child(alias, 0);
            alias_name = std::string(ts::text(source_, id));
          }
          inner.batches[alias_name] = table;
        }
        return true;
      });
    }
    block(ts_node_child_by_field_name(stmt, "body", 4), inner, out);
    for (auto& [k, v] : inner.tables) context.tables.emplace(k, v);
  }

  // Whether a call's receiver is `op` (or an alias bound by `with ... as`).
  bool op_receiver(TSNode call, const Context& context, bool* batch = nullptr) const {
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (!is(fn, "attribute")) return false;
    TSNode object = ts_node_child_by_field_name(fn, "object", 6);
    if (!is(object, "identifier")) return false;
    const std::string_view receiver = ts::text(source_, object);
    if (context.batches.count(receiver)) {
      if (batch) *batch = true;
      return true;
    }
    return receiver == "op";
  }

  void call(TSNode node, Context& context, std::vector<Operation>& out) {
    TSNode fn = ts_node_child_by_field_name(node, "function", 8);
    // A module-level helper called by name: its operations count as this function's.
    if (is(fn, "identifier")) {
      const std::string name(ts::text(source_, fn));
      auto it = functions_.find(name);
      if (it != functions_.end() && !visiting_.count(name) && visiting_.size() < 4) {
        visiting_.insert(name);
        Context inner;
        inner.helper = context.helper.empty() ? name : context.helper;
        inner.conditional = context.conditional;
        inner.autocommit = context.autocommit;
        block(ts_node_child_by_field_name(it->second, "body", 4), inner, out);
        visiting_.erase(name);
      }
      return;
    }
    bool batch = false;
    if (!op_receiver(node, context, &batch)) return;
    const std::string_view function = callee_name(source_, node);
    if (is_helper_call(function)) return;
    Operation op;
    op.function = std::string(function);
    op.range = range_of(node);
    op.batch = batch;
    op.in_autocommit_block = context.autocommit;
    op.conditional = context.conditional;
    op.helper = context.helper;
    const Signature* sig = nullptr;
    for (const Signature& s : signatures())
      if (s.function == function) sig = &s;
    if (!sig) {
      out.push_back(std::move(op));
      return;
    }
    op.kind = sig->kind;
    const std::vector<const char*>& params = batch ? sig->batch_params : sig->params;
    Arguments args = arguments_of(source_, node);
    auto arg = [&](const char* param) -> TSNode {
      auto k = args.keywords.find(param);
      if (k != args.keywords.end()) return k->second;
      for (size_t i = 0; i < params.size(); ++i)
        if (std::strcmp(params[i], param) == 0 && i < args.positional.size())
          return args.positional[i];
      return TSNode{};
    };
    auto name = [&](const char* param) { return value_of(arg(param)); };
    if (batch) {
      TSNode object = ts_node_child_by_field_name(fn, "object", 6);
      op.table = context.batches.find(ts::text(source_, object))->second;
    }
    switch (op.kind) {
      case OpKind::CreateTable:
        op.table = name("table_name");
        for (size_t i = 1; i < args.positional.size(); ++i)
          if (is(args.positional[i], "call") &&
              callee_name(source_, args.positional[i]) == "Column") {
            Arguments column = arguments_of(source_, args.positional[i]);
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
        op.new_name = keyword_value(args, "new_column_name");
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
      case OpKind::BulkInsert: {
        TSNode table = arg("table");
        op.table = table_value(table, context);
        break;
      }
      case OpKind::Other:
        break;
    }
    out.push_back(std::move(op));
  }

  // add_column's Column(name, type, ..., nullable=, server_default=, primary_key=).
  void column(TSNode node, Operation& op) const {
    if (!is(node, "call") || callee_name(source_, node) != "Column") {
      op.column = source_value(node);
      if (!ts_node_is_null(node)) op.column.state = OpValue::State::Unknown;
      return;
    }
    Arguments args = arguments_of(source_, node);
    op.column = name_value(args, 0, "name");
    if (args.positional.size() > 1) {
      op.type = source_value(args.positional[1]);
    } else if (TSNode t = keyword(args, "type_"); !ts_node_is_null(t)) {
      op.type = source_value(t);
    }
    op.nullable = flag(keyword(args, "nullable"));
    if (op.nullable == Flag::Absent && flag(keyword(args, "primary_key")) == Flag::True)
      op.nullable = Flag::False;
    op.server_default = given_flag(keyword(args, "server_default"));
  }

  static TSNode keyword(const Arguments& args, const char* name) {
    auto it = args.keywords.find(name);
    return it == args.keywords.end() ? TSNode{} : it->second;
  }

  OpValue keyword_value(const Arguments& args, const char* name) const {
    return value_of(keyword(args, name));
  }

  OpValue name_value(const Arguments& args, size_t position, const char* keyword_name) const {
    TSNode k = keyword(args, keyword_name);
    if (!ts_node_is_null(k)) return value_of(k);
    if (position < args.positional.size()) return value_of(args.positional[position]);
    return {};
  }

  // The value of a string literal, op.f("..."), sa.text("..."), quoted_name("...", ...).
  OpValue value_of(TSNode node) const {
    OpValue v;
    if (ts_node_is_null(node)) return v;
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
        Arguments args = arguments_of(source_, node);
        if (!args.positional.empty())
          if (auto s = string_literal(args.positional[0])) {
            v.state = OpValue::State::Literal;
            v.text = std::move(*s);
            return v;
          }
      }
    }
    v.state = OpValue::State::Unknown;
    v.text = std::string(ts::text(source_, node));
    return v;
  }

  OpValue source_value(TSNode node) const {
    OpValue v;
    if (ts_node_is_null(node)) return v;
    v.range = range_of(node);
    if (is(node, "none")) {
      v.state = OpValue::State::None;
      v.text = "None";
      return v;
    }
    v.state = OpValue::State::Literal;
    v.text = std::string(ts::text(source_, node));
    return v;
  }

  std::optional<std::string> string_literal(TSNode node) const {
    if (is(node, "string")) {
      return literal::decode_str(ts::text(source_, node), literal::Escapes::Strict);
    }
    if (is(node, "concatenated_string")) {
      std::string out;
      bool ok = true;
      ts::for_each_named_child(node, [&](TSNode part) {
        auto s = string_literal(part);
        if (!s)
          ok = false;
        else
          out += *s;
        return ok;
      });
      if (ok) return out;
    }
    if (is(node, "parenthesized_expression")) return string_literal(ts_node_named_child(node, 0));
    return std::nullopt;
  }

  std::vector<OpValue> list_of(TSNode node) const {
    std::vector<OpValue> out;
    if (is(node, "list") || is(node, "tuple")) {
      ts::for_each_named_child(node, [&](TSNode e) {
        out.push_back(value_of(e));
        return true;
      });
    } else if (!ts_node_is_null(node)) {
      out.push_back(value_of(node));
    }
    return out;
  }

  static Flag flag(TSNode node) {
    if (ts_node_is_null(node)) return Flag::Absent;
    if (is(node, "true")) return Flag::True;
    if (is(node, "false")) return Flag::False;
    return Flag::Unknown;
  }

  static Flag given_flag(TSNode node) {
    if (ts_node_is_null(node)) return Flag::Absent;
    return is(node, "none") ? Flag::False : Flag::True;
  }

  // bulk_insert's table: table("name", ...), or a name bound to one (or to create_table).
  OpValue table_value(TSNode node, const Context& context) const {
    if (is(node, "call")) {
      const std::string_view fn = callee_name(source_, node);
      if (fn == "table" || fn == "Table" || fn == "create_table") {
        Arguments args = arguments_of(source_, node);
        return name_value(args, 0, "name");
      }
    }
    if (is(node, "identifier")) {
      const std::string_view id = ts::text(source_, node);
      auto it = context.tables.find(id);
      const auto* found = it != context.tables.end() ? &it->second : nullptr;
      if (!found) {
        auto m = module_tables_.find(id);
        if (m != module_tables_.end()) found = &m->second;
      }
      if (found && !found->empty()) {
        OpValue v;
        v.state = OpValue::State::Literal;
        v.text = *found;
        v.range = range_of(node);
        return v;
      }
    }
    return value_of(node);
  }

  void note_table_binding(TSNode stmt, std::map<std::string, std::string, std::less<>>& tables) {
    if (!is(stmt, "expression_statement")) return;
    TSNode e = ts_node_named_child(stmt, 0);
    if (is(e, "assignment")) note_assignment(e, tables);
  }

  // NAME = table("x", ...) / sa.table / op.create_table("x", ...): NAME names table x. Any
  // other assignment to NAME forgets it (an empty entry: unknown).
  void note_assignment(TSNode assignment,
                       std::map<std::string, std::string, std::less<>>& tables) const {
    TSNode left = ts_node_child_by_field_name(assignment, "left", 4);
    TSNode right = ts_node_child_by_field_name(assignment, "right", 5);
    if (!is(left, "identifier")) return;
    std::string name(ts::text(source_, left));
    std::string table;
    if (is(right, "call")) {
      const std::string_view fn = callee_name(source_, right);
      if (fn == "table" || fn == "Table" || fn == "create_table") {
        OpValue v = name_value(arguments_of(source_, right), 0, "name");
        if (v.literal()) table = v.text;
      }
    }
    tables[name] = table;
  }

  std::string_view source_;
  ts::Tree tree_;
  std::map<std::string, TSNode, std::less<>> functions_;
  std::map<std::string, std::string, std::less<>> module_tables_;
  std::set<std::string> visiting_;
};

}  // namespace

MigrationOperations read_operations(std::string_view source) {
  return Reader(source).read();
}

bool changes_schema(OpKind kind) {
  return kind != OpKind::Execute && kind != OpKind::BulkInsert && kind != OpKind::Other;
}

}  // namespace alembic
