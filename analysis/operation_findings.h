// Unsafe schema operations: the findings one migration's upgrade() and downgrade() yield
// (analysis/operations.h), for the database the project runs. Lazy: `check` asks for them
// only for the files changed since --base (or all with --lint all), never the graph.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/discovery.h"
#include "analysis/model.h"
#include "analysis/operations.h"

namespace alembic {

/// The database the migrations run against, as SQLAlchemy names its dialect
/// ("postgresql", "sqlite", "mysql", ...), or "" when unknown.
struct LintOptions {
  std::string dialect;
};

/// not-null-without-default, index-not-concurrent, concurrently-in-transaction,
/// column-type-change, rename-table-or-column, drop-table-or-column,
/// irreversible-downgrade and downgrade-not-inverse for the migration at `path`.
void add_operation_findings(const std::string& path, const MigrationOperations& ops,
                            const LintOptions& options, std::vector<Finding>& out);

/// The dialect of a SQLAlchemy URL ("postgresql+psycopg2://..." -> "postgresql";
/// "postgres" is read as "postgresql"), or "" when `url` is not a literal URL (empty,
/// `%(...)s` or `${...}` interpolation, no scheme).
std::string dialect_of_url(std::string_view url);

/// The dialect of the literal `sqlalchemy.url` in the environment's alembic.ini section,
/// or "" (no ini, no such key, not a literal).
std::string environment_dialect(const Environment& env);

}  // namespace alembic
