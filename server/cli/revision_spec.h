// A revision named on the command line, resolved as Alembic resolves it.
#pragma once

#include <string>
#include <vector>

#include "analysis/graph.h"

namespace alembic::cli {

/// One REV argument as Alembic's RevisionMap.get_revisions resolves it: an id, a unique
/// prefix of at least four characters, a branch label, `heads`, `head`, `LABEL@head`,
/// `LABEL@heads`. Throws UsageError with Alembic's reason when it names nothing, or
/// `head` / `LABEL@head` names several.
std::vector<std::string> resolve_revision_spec(const GraphAnalysis& g, const std::string& arg);

/// Throws UsageError when `id` cannot be a new revision's id (--rev-id): empty, with a
/// character Alembic refuses, or already used in the history.
void check_rev_id(const GraphAnalysis& g, const std::string& id);

}  // namespace alembic::cli
