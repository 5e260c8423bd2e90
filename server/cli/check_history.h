// `check`: the git history of each missing-revision finding (analysis/history.h), for
// the text and json reports. Outside a repository or without git there is none, quietly.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/history.h"
#include "analysis/project.h"

namespace alembic::cli {

/// Missing revision id -> its history, for one environment.
using EnvironmentHistory = std::map<std::string, history::MissingRevisionHistory>;

/// The history of every missing-revision finding, one map per environment (same order).
std::vector<EnvironmentHistory> look_up_history(const std::vector<LoadedEnvironment>& envs);

/// Several heads (an error) that a merge migration deleted in git history used to join:
/// each multiple-heads finding says which merge is gone and which commit removed it.
void note_deleted_merges(std::vector<LoadedEnvironment>& envs);

/// The history of the missing revision a finding names, or nullptr.
const history::MissingRevisionHistory* history_of(const EnvironmentHistory* history,
                                                  const Finding& finding);

/// The "history" object of a finding in `check --format json`.
nlohmann::ordered_json history_json(const history::MissingRevisionHistory& h);

}  // namespace alembic::cli
