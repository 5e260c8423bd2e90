// An environment's history as JSON for pictures: the `alembic/graph` request (VS Code's
// graph view, status bar, heads list) shares this shape.
#pragma once

#include <nlohmann/json.hpp>

#include "analysis/graph.h"

namespace alembic::server {

/// {name, config, heads, bases, revisions: [{id, path, uri, line, down_revisions, depends_on,
/// branch_labels, message, is_head, is_base, is_merge, is_branch_point, duplicate}],
/// missing: [{id, referenced_by}]}. Paths are absolute.
nlohmann::json graph_json(const std::string& name, const std::string& config,
                          const std::vector<Script>& scripts, const GraphAnalysis& graph);

}  // namespace alembic::server
