// Git merge-conflict markers left in a migration: the commonest reason a migration that
// "looks fine" cannot be imported by Alembic. Found with a cheap line scan, because the
// cold parse path never reads function bodies.
#pragma once

#include <string_view>

#include "analysis/model.h"

namespace alembic {

/// Adds a syntax problem for every line that starts with `<<<<<<<`, `=======` (alone)
/// or `>>>>>>>` outside of the module docstring region already read. At most a few.
void add_conflict_markers(std::string_view source, ParsedMigration& parsed);

}  // namespace alembic
