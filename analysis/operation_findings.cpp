#include "analysis/operation_findings.h"

#include <set>

#include "analysis/finding_rules.h"
#include "analysis/findings.h"
#include "analysis/ini.h"

namespace alembic {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Finding make(Code code, const std::string& path, const SourceRange& range, std::string message,
             std::string detail) {
  Finding f;
  f.code = std::string(rule_of(code).code);
  f.severity = rule_of(code).default_severity;
  f.message = std::move(message);
  f.detail = std::move(detail);
  f.location = {path, range};
  return f;
}

std::string name_of(const OpValue& v) {
  return brief(v.literal() ? v.text : v.state == OpValue::State::None ? "(unnamed)" : v.text, 30);
}

std::string column_of(const Operation& op) {
  return name_of(op.table) + "." + name_of(op.column);
}

bool on_new_table(const Operation& op, const std::set<std::string>& created) {
  return op.table.literal() && created.count(op.table.text);
}

void unsafe_operations(const std::string& path, const FunctionOperations& f, bool upgrade,
                       const LintOptions& options, std::vector<Finding>& out) {
  // Tables this function created before the operation: it meets an empty table, which no
  // lock or NULL can hurt.
  std::set<std::string> created;
  const bool postgres = options.dialect == "postgresql";
  for (const Operation& op : f.operations) {
    if (op.kind == OpKind::CreateTable && op.table.literal()) created.insert(op.table.text);
    const bool new_table = on_new_table(op, created);
    switch (op.kind) {
      case OpKind::AddColumn:
        if (op.nullable == Flag::False && op.server_default != Flag::True && !new_table)
          out.push_back(make(
              Code::NotNullWithoutDefault, path, op.range,
              fit("Column " + column_of(op) + " is added NOT NULL without a server_default.",
                  "A NOT NULL column is added without a server_default."),
              "On a table that has rows the database refuses it (PostgreSQL: \"column contains "
              "null values\"; SQLite: \"Cannot add a NOT NULL column with default value NULL\"). "
              "Give the Column a server_default, or add it nullable, fill it, then make it NOT "
              "NULL with alter_column."));
        break;
      case OpKind::CreateIndex:
        if (postgres && op.concurrently != Flag::True && !new_table)
          out.push_back(make(Code::IndexNotConcurrent, path, op.range,
                             fit("Index " + name_of(op.name) + " on " + name_of(op.table) +
                                     " is created without postgresql_concurrently=True.",
                                 "An index is created without postgresql_concurrently=True."),
                             "PostgreSQL's CREATE INDEX blocks every write to the table until "
                             "the index is built, which on a large table stops the application. "
                             "Pass postgresql_concurrently=True and run the call inside `with "
                             "op.get_context().autocommit_block():`."));
        [[fallthrough]];
      case OpKind::DropIndex:
        if (op.concurrently == Flag::True && !op.in_autocommit_block &&
            (postgres || options.dialect.empty()))
          out.push_back(
              make(Code::ConcurrentlyInTransaction, path, op.range,
                   fit("Index " + name_of(op.name) +
                           " uses postgresql_concurrently outside an autocommit_block.",
                       "postgresql_concurrently is used outside an autocommit_block."),
                   "Alembic runs each migration in a transaction on PostgreSQL, and PostgreSQL "
                   "refuses: \"CREATE INDEX CONCURRENTLY cannot run inside a transaction block\". "
                   "Move the call inside `with op.get_context().autocommit_block():`."));
        break;
      case OpKind::AlterColumn:
        if (op.type.literal() && !new_table)
          out.push_back(make(
              Code::ColumnTypeChange, path, op.range,
              fit("Column " + column_of(op) + " changes its type.", "A column changes its type."),
              "Most databases rewrite the table to change a column's type "
              "(PostgreSQL under an exclusive lock; batch mode copies the table), "
              "and code deployed before the migration may write values the new "
              "type refuses. Prefer a new column, filled and then switched to."));
        if (upgrade && op.new_name.state != OpValue::State::Absent)
          out.push_back(
              make(Code::RenameTableOrColumn, path, op.range,
                   fit("Column " + column_of(op) + " is renamed to " + name_of(op.new_name) + ".",
                       "A column is renamed."),
                   "Code still running while the migration is applied uses the old "
                   "name and fails until the new code is deployed. Rename in steps "
                   "(add the new column, write both, switch readers, drop the old)."));
        break;
      case OpKind::RenameTable:
        if (upgrade)
          out.push_back(make(
              Code::RenameTableOrColumn, path, op.range,
              fit("Table " + name_of(op.table) + " is renamed to " + name_of(op.new_name) + ".",
                  "A table is renamed."),
              "Code still running while the migration is applied uses the old "
              "name and fails until the new code is deployed. A view with the "
              "old name can bridge the gap."));
        break;
      case OpKind::DropColumn:
        if (upgrade)
          out.push_back(
              make(Code::DropTableOrColumn, path, op.range,
                   fit("Column " + column_of(op) + " is dropped.", "A column is dropped."),
                   "Its data is lost: downgrade() can bring the column back, not its "
                   "values. Code still running that reads the column fails."));
        break;
      case OpKind::DropTable:
        if (upgrade)
          out.push_back(
              make(Code::DropTableOrColumn, path, op.range,
                   fit("Table " + name_of(op.table) + " is dropped.", "A table is dropped."),
                   "Its rows are lost: downgrade() can bring the table back, not its "
                   "data. Code still running that uses the table fails."));
        break;
      default:
        break;
    }
  }
}

bool changes_any_schema(const FunctionOperations& f) {
  for (const Operation& op : f.operations)
    if (changes_schema(op.kind)) return true;
  return false;
}

void irreversible_downgrade(const std::string& path, const MigrationOperations& ops,
                            std::vector<Finding>& out) {
  if (!changes_any_schema(ops.upgrade)) return;
  const FunctionOperations& down = ops.downgrade;
  if (down.body == BodyKind::Statements) return;
  const std::string detail =
      "`alembic downgrade` past this revision leaves the schema changes of upgrade() in place "
      "(or stops), while the version table says they are gone. Write the inverse operations, "
      "or raise with a message when the migration cannot be undone.";
  if (down.body == BodyKind::Missing) {
    out.push_back(make(Code::IrreversibleDowngrade, path, ops.upgrade.name_range,
                       "The migration has no downgrade() while upgrade() changes the schema.",
                       "Alembic fails with AttributeError on `alembic downgrade`. " + detail));
    return;
  }
  Finding f = make(Code::IrreversibleDowngrade, path, down.name_range,
                   down.body == BodyKind::Raises
                       ? "downgrade() raises while upgrade() changes the schema."
                       : "downgrade() is empty while upgrade() changes the schema.",
                   detail);
  // A raise is a decision (an irreversible migration said out loud); an empty body is
  // usually a forgotten one.
  if (down.body == BodyKind::Raises) f.severity = Severity::Information;
  out.push_back(std::move(f));
}

bool literal_names(const Operation& op) {
  auto ok = [](const OpValue& v) { return v.state == OpValue::State::Absent || v.literal(); };
  return ok(op.table) && ok(op.column) && ok(op.name) && ok(op.new_name);
}

// Whether `down` holds the inverse of `up`.
bool undone_by(const Operation& up, const std::vector<Operation>& down) {
  for (const Operation& d : down) {
    const bool same_table =
        d.table.literal() && up.table.literal() && d.table.text == up.table.text;
    switch (up.kind) {
      case OpKind::CreateTable:
        if (d.kind == OpKind::DropTable && same_table) return true;
        break;
      case OpKind::DropTable:
        if (d.kind == OpKind::CreateTable && same_table) return true;
        break;
      case OpKind::AddColumn:
        if (same_table && d.kind == OpKind::DropTable) return true;
        if (same_table && d.kind == OpKind::DropColumn && d.column.text == up.column.text)
          return true;
        break;
      case OpKind::DropColumn:
        if (same_table && d.kind == OpKind::AddColumn && d.column.text == up.column.text)
          return true;
        break;
      case OpKind::CreateIndex:
        if (d.kind == OpKind::DropIndex && d.name.text == up.name.text) return true;
        if (d.kind == OpKind::DropTable && same_table) return true;
        break;
      case OpKind::DropIndex:
        if (d.kind == OpKind::CreateIndex && d.name.text == up.name.text) return true;
        break;
      case OpKind::RenameTable:
        if (d.kind == OpKind::RenameTable && d.table.literal() &&
            d.table.text == up.new_name.text && d.new_name.literal() &&
            d.new_name.text == up.table.text)
          return true;
        break;
      case OpKind::CreateConstraint:
        if (d.kind == OpKind::DropConstraint && d.name.text == up.name.text) return true;
        if (d.kind == OpKind::DropTable && same_table) return true;
        break;
      default:
        return true;  // not checked
    }
  }
  return false;
}

std::string undo_word(const Operation& up) {
  switch (up.kind) {
    case OpKind::CreateTable:
      return "drops table " + name_of(up.table);
    case OpKind::DropTable:
      return "re-creates table " + name_of(up.table);
    case OpKind::AddColumn:
      return "drops column " + column_of(up);
    case OpKind::DropColumn:
      return "re-adds column " + column_of(up);
    case OpKind::CreateIndex:
      return "drops index " + name_of(up.name);
    case OpKind::DropIndex:
      return "re-creates index " + name_of(up.name);
    case OpKind::RenameTable:
      return "renames " + name_of(up.new_name) + " back";
    default:
      return "drops constraint " + name_of(up.name);
  }
}

void downgrade_not_inverse(const std::string& path, const MigrationOperations& ops,
                           std::vector<Finding>& out) {
  const FunctionOperations& down = ops.downgrade;
  if (down.body != BodyKind::Statements) return;  // irreversible-downgrade's case
  // Statements not read (a large file's, operations.h), SQL, unknown names or conditional
  // steps in downgrade() may undo anything: say nothing.
  if (!down.complete()) return;
  for (const Operation& d : down.operations)
    if (!changes_schema(d.kind) || !literal_names(d) || d.conditional) return;
  for (const Operation& up : ops.upgrade.operations) {
    if (!changes_schema(up.kind) || !literal_names(up) || up.conditional) continue;
    if (up.kind == OpKind::CreateConstraint && !up.name.literal()) continue;
    if (up.kind == OpKind::CreateIndex && !up.name.literal()) continue;
    if (undone_by(up, down.operations)) continue;
    Finding f = make(Code::DowngradeNotInverse, path, up.range,
                     fit("downgrade() never " + undo_word(up) + ".",
                         "downgrade() does not undo this operation."),
                     "After `alembic downgrade` the database keeps what upgrade() did while the "
                     "version table says it is gone; upgrading again then fails. Add the "
                     "inverse operation to downgrade().");
    f.related.push_back({{path, down.name_range}, "downgrade() is here"});
    out.push_back(std::move(f));
  }
}

}  // namespace

void add_operation_findings(const std::string& path, const MigrationOperations& ops,
                            const LintOptions& options, std::vector<Finding>& out) {
  unsafe_operations(path, ops.upgrade, true, options, out);
  unsafe_operations(path, ops.downgrade, false, options, out);
  irreversible_downgrade(path, ops, out);
  downgrade_not_inverse(path, ops, out);
}

std::string dialect_of_url(std::string_view url) {
  while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) url.remove_prefix(1);
  if (url.find("%(") != std::string_view::npos || url.find("${") != std::string_view::npos)
    return "";
  const size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0) return "";
  std::string scheme = lower(url.substr(0, colon));
  scheme = scheme.substr(0, scheme.find('+'));
  for (char c : scheme)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return "";
  if (scheme == "postgres") scheme = "postgresql";
  if (scheme == "driver") return "";  // alembic init's placeholder, driver://user:pass@...
  return scheme;
}

std::string environment_dialect(const Environment& env) {
  if (!env.config_path || env.config_path->extension() != ".ini") return "";
  std::string text;
  try {
    text = read_file_bytes(*env.config_path);
  } catch (const std::exception&) {
    return "";  // the graph analysis reports unreadable configurations
  }
  const IniFile ini = IniFile::parse(text);
  const IniOption* option = ini.find(env.config_section, "sqlalchemy.url");
  return option ? dialect_of_url(option->raw) : "";
}

}  // namespace alembic
