// The edits behind the quick fixes of the unsafe-operation findings whose fix is
// mechanical (analysis/operation_findings.h): a server_default for a NOT NULL
// add_column, postgresql_concurrently=True and an autocommit_block for an index.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analysis/operations.h"
#include "analysis/source_edit.h"

namespace alembic {

/// not-null-without-default: `server_default=...` before the Column's `nullable=False`,
/// a literal by the type's family ("0" for numbers, "false" for booleans, "" for
/// strings). nullopt when the type is none of those, or `nullable=False` is not written
/// in the call. `value` (when given) is set to the literal's Python source.
std::optional<EditPlan> plan_server_default(const std::string& path, std::string_view source,
                                            const Operation& op, std::string* value = nullptr);

/// index-not-concurrent and concurrently-in-transaction: the create_index / drop_index
/// statement given `postgresql_concurrently=True` (unless it has it) and moved inside
/// `with op.get_context().autocommit_block():` (unless it is in one). nullopt when the
/// call is not a statement of its own lines, or holds a triple-quoted string (whose
/// text re-indenting would change).
std::optional<EditPlan> plan_concurrent_index(const std::string& path, std::string_view source,
                                              const Operation& op);

}  // namespace alembic
