// The operations of a migration whose upgrade() and downgrade() are straight lines of
// `op.X(...)` calls, as `alembic revision --autogenerate` writes them, read from tokens
// without building a tree: what `check --lint all` reads for every file. Anything else
// in the bodies (with, if, assignments, helper calls, batch blocks, bulk_insert) and any
// token Python would refuse make it decline, and the tree-sitter reader reads the file.
// Its answers equal the tree-sitter reader's (tests/unit/analysis_operations_flat_test).
#pragma once

#include <optional>
#include <string_view>

#include "analysis/operations.h"

namespace alembic {

/// The operations of `source` (any bytes, any size; never throws), or nullopt when the
/// source is not of the flat form.
std::optional<MigrationOperations> read_operations_flat(std::string_view source);

}  // namespace alembic
