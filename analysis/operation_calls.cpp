#include "analysis/operation_calls.h"

#include <cstring>
#include <set>

#include "analysis/ts_python.h"

namespace alembic::op_calls {

bool is(TSNode n, const char* type) {
  return !ts_node_is_null(n) && std::strcmp(ts_node_type(n), type) == 0;
}

SourceRange range_of(TSNode n) {
  SourceRange r;
  r.start_byte = ts_node_start_byte(n);
  r.end_byte = ts_node_end_byte(n);
  const TSPoint a = ts_node_start_point(n), b = ts_node_end_point(n);
  r.start_line = a.row;
  r.start_column = a.column;
  r.end_line = b.row;
  r.end_column = b.column;
  return r;
}

std::string_view node_text(std::string_view source, TSNode n) {
  return ts::text(source, n);
}

TSNode first_named_child(TSNode n) {
  return ts_node_named_child(n, 0);
}

void for_each_named_child(TSNode n, const std::function<bool(TSNode)>& f) {
  ts::for_each_named_child(n, [&](TSNode child) {
    // tree-sitter-python makes a `\` line continuation inside brackets a named node.
    return is(child, "line_continuation") || f(child);
  });
}

const std::vector<Signature>& signatures() {
  static const std::vector<Signature> table = {
      {"create_table", OpKind::CreateTable, {"table_name"}, {}},
      {"drop_table", OpKind::DropTable, {"table_name"}, {}},
      {"rename_table", OpKind::RenameTable, {"old_table_name", "new_table_name"}, {}},
      {"add_column", OpKind::AddColumn, {"table_name", "column"}, {"column"}},
      {"drop_column", OpKind::DropColumn, {"table_name", "column_name"}, {"column_name"}},
      {"alter_column", OpKind::AlterColumn, {"table_name", "column_name"}, {"column_name"}},
      {"create_index",
       OpKind::CreateIndex,
       {"index_name", "table_name", "columns"},
       {"index_name", "columns"}},
      {"drop_index", OpKind::DropIndex, {"index_name", "table_name"}, {"index_name"}},
      {"create_unique_constraint",
       OpKind::CreateConstraint,
       {"constraint_name", "table_name", "columns"},
       {"constraint_name", "columns"}},
      {"create_primary_key",
       OpKind::CreateConstraint,
       {"constraint_name", "table_name", "columns"},
       {"constraint_name", "columns"}},
      {"create_check_constraint",
       OpKind::CreateConstraint,
       {"constraint_name", "table_name", "condition"},
       {"constraint_name", "condition"}},
      {"create_exclude_constraint",
       OpKind::CreateConstraint,
       {"constraint_name", "table_name"},
       {"constraint_name"}},
      {"create_foreign_key",
       OpKind::CreateConstraint,
       {"constraint_name", "source_table", "referent_table", "local_cols", "remote_cols"},
       {"constraint_name", "referent_table", "local_cols", "remote_cols"}},
      {"drop_constraint",
       OpKind::DropConstraint,
       {"constraint_name", "table_name", "type_"},
       {"constraint_name", "type_"}},
      {"execute", OpKind::Execute, {"sqltext"}, {"sqltext"}},
      {"bulk_insert", OpKind::BulkInsert, {"table", "rows"}, {}},
  };
  return table;
}

const Signature* find_signature(std::string_view function) {
  if (function.empty()) return nullptr;
  for (const Signature& s : signatures())
    if (s.function[0] == function[0] && function == s.function) return &s;
  return nullptr;
}

bool is_helper_call(std::string_view name) {
  static const std::set<std::string_view> helpers = {"f",
                                                     "get_bind",
                                                     "get_context",
                                                     "inline_literal",
                                                     "batch_alter_table",
                                                     "implementation_for",
                                                     "invoke",
                                                     "register_operation"};
  return helpers.count(name) > 0;
}

std::string_view callee_name(std::string_view source, TSNode call) {
  TSNode fn = ts_node_child_by_field_name(call, "function", 8);
  if (is(fn, "identifier")) return ts::text(source, fn);
  if (is(fn, "attribute")) {
    TSNode attr = ts_node_child_by_field_name(fn, "attribute", 9);
    return ts::text(source, attr);
  }
  return {};
}

Arguments arguments_of(std::string_view source, TSNode call) {
  Arguments out;
  TSNode args = ts_node_child_by_field_name(call, "arguments", 9);
  if (ts_node_is_null(args)) return out;
  for_each_named_child(args, [&](TSNode a) {
    if (is(a, "keyword_argument")) {
      TSNode name = ts_node_child_by_field_name(a, "name", 4);
      TSNode value = ts_node_child_by_field_name(a, "value", 5);
      if (!ts_node_is_null(name) && !ts_node_is_null(value))
        out.keywords.add(ts::text(source, name), value);
    } else if (is(a, "list_splat") || is(a, "dictionary_splat")) {
      out.has_splat = true;
    } else if (!out.has_splat) {
      out.positional.push_back(a);
    }
    return true;
  });
  return out;
}

}  // namespace alembic::op_calls
