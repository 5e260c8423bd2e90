// Operations in words (hover) and as canonical lines (the property test against `ast`).
#include <string>

#include "analysis/operations.h"

namespace alembic {

namespace {

std::string shorten(std::string_view text, size_t max = 40) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\t') ? ' ' : c;
  if (out.size() > max) out = out.substr(0, max - 3) + "...";
  return out;
}

// A name as shown to a reader: its value, or the expression in <...> when unknown.
std::string shown(const OpValue& v) {
  switch (v.state) {
    case OpValue::State::Literal:
      return v.text;
    case OpValue::State::None:
      return "(unnamed)";
    case OpValue::State::Unknown:
      return "<" + shorten(v.text) + ">";
    case OpValue::State::Absent:
      break;
  }
  return "?";
}

std::string column_list(const std::vector<OpValue>& columns) {
  std::string out;
  for (const OpValue& c : columns) out += (out.empty() ? "" : ", ") + shown(c);
  return out;
}

std::string constraint_kind(std::string_view function) {
  if (function == "create_foreign_key") return "foreign key";
  if (function == "create_primary_key") return "primary key";
  if (function == "create_check_constraint") return "check constraint";
  if (function == "create_exclude_constraint") return "exclude constraint";
  return "unique constraint";
}

}  // namespace

std::string describe(const Operation& op) {
  const std::string table = shown(op.table);
  std::string out;
  switch (op.kind) {
    case OpKind::CreateTable:
      out = "creates table " + table;
      break;
    case OpKind::DropTable:
      out = "drops table " + table;
      break;
    case OpKind::RenameTable:
      out = "renames table " + table + " to " + shown(op.new_name);
      break;
    case OpKind::AddColumn:
      out = "adds column " + table + "." + shown(op.column);
      if (op.nullable == Flag::False) out += " NOT NULL";
      if (op.server_default == Flag::True) out += " with a server default";
      break;
    case OpKind::DropColumn:
      out = "drops column " + table + "." + shown(op.column);
      break;
    case OpKind::AlterColumn: {
      out = "alters column " + table + "." + shown(op.column);
      std::string what;
      auto add = [&](const std::string& s) { what += (what.empty() ? "" : ", ") + s; };
      if (op.new_name.state != OpValue::State::Absent) add("renamed to " + shown(op.new_name));
      if (op.type.state == OpValue::State::Literal) add("type " + shorten(op.type.text));
      if (op.nullable == Flag::False) add("NOT NULL");
      if (op.nullable == Flag::True) add("nullable");
      if (op.server_default == Flag::True) add("server default");
      if (op.server_default == Flag::False) add("no server default");
      if (!what.empty()) out += " (" + what + ")";
      break;
    }
    case OpKind::CreateIndex:
      out = std::string("creates ") + (op.unique == Flag::True ? "unique " : "") + "index " +
            shown(op.name) + " on " + table;
      if (!op.columns.empty()) out += " (" + column_list(op.columns) + ")";
      if (op.concurrently == Flag::True) out += " concurrently";
      break;
    case OpKind::DropIndex:
      out = "drops index " + shown(op.name);
      if (op.table.state != OpValue::State::Absent) out += " on " + table;
      break;
    case OpKind::CreateConstraint:
      out = "creates " + constraint_kind(op.function) + " " + shown(op.name) + " on " + table;
      if (op.referent.state != OpValue::State::Absent) out += " to " + shown(op.referent);
      break;
    case OpKind::DropConstraint:
      out = "drops constraint " + shown(op.name) + " on " + table;
      break;
    case OpKind::Execute:
      out = op.sql.literal() ? "executes SQL \"" + shorten(op.sql.text) + "\""
                             : "executes " + shown(op.sql);
      break;
    case OpKind::BulkInsert:
      out = "inserts rows into " + table;
      break;
    case OpKind::Other:
      out = "calls op." + op.function;
      break;
  }
  if (op.conditional) out += " (conditionally)";
  return out;
}

std::string describe_all(const std::vector<Operation>& ops, size_t limit) {
  std::string out;
  for (size_t i = 0; i < ops.size() && i < limit; ++i) out += (i ? "; " : "") + describe(ops[i]);
  if (ops.size() > limit) out += "; and " + std::to_string(ops.size() - limit) + " more";
  return out;
}

std::string lines_of(const SourceRange& r) {
  const uint32_t first = r.start_line + 1;
  // A range ending just after a newline ends on the line before.
  const uint32_t last =
      r.end_column == 0 && r.end_line > r.start_line ? r.end_line : r.end_line + 1;
  return first == last ? "line " + std::to_string(first)
                       : "lines " + std::to_string(first) + "-" + std::to_string(last);
}

std::string describe_unread(const std::vector<UnreadPart>& unread, size_t limit) {
  std::string out;
  for (size_t i = 0; i < unread.size() && i < limit; ++i)
    out += (i ? "; " : "not read: ") + lines_of(unread[i].range) + " (" + unread[i].reason + ")";
  if (unread.size() > limit) out += "; and " + std::to_string(unread.size() - limit) + " more";
  return out;
}

namespace {

std::string escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

std::string canonical(const OpValue& v) {
  switch (v.state) {
    case OpValue::State::Absent:
      return "-";
    case OpValue::State::None:
      return "None";
    case OpValue::State::Literal:
      return "'" + escaped(v.text) + "'";
    case OpValue::State::Unknown:
      return "?" + escaped(v.text);
  }
  return "-";
}

const char* canonical(Flag f) {
  switch (f) {
    case Flag::Absent:
      return "-";
    case Flag::True:
      return "T";
    case Flag::False:
      return "F";
    case Flag::Unknown:
      return "?";
  }
  return "-";
}

}  // namespace

std::string canonical_line(std::string_view function, const Operation& op) {
  std::string columns;
  for (const OpValue& c : op.columns) columns += (columns.empty() ? "" : ",") + canonical(c);
  std::string out(function);
  out += "|" + op.function + "|table=" + canonical(op.table) + "|column=" + canonical(op.column) +
         "|new=" + canonical(op.new_name) + "|name=" + canonical(op.name) +
         "|referent=" + canonical(op.referent) + "|type=" + canonical(op.type) +
         "|sql=" + canonical(op.sql) + "|columns=[" + columns +
         "]|nullable=" + canonical(op.nullable) +
         "|server_default=" + canonical(op.server_default) + "|unique=" + canonical(op.unique) +
         "|concurrently=" + canonical(op.concurrently) + "|batch=" + (op.batch ? "1" : "0") +
         "|autocommit=" + (op.in_autocommit_block ? "1" : "0") +
         "|conditional=" + (op.conditional ? "1" : "0") + "|helper=" + op.helper;
  return out;
}

}  // namespace alembic
