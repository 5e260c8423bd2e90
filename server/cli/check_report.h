// Rendering `check` results as text or JSON.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/project.h"
#include "server/cli/check_history.h"

namespace alembic::cli {

/// `path` relative to the current directory (as the user typed paths), else absolute.
std::string display_path(const std::filesystem::path& path);
/// The same with the working directory given (empty: unknown), for loops over many files.
std::string display_path(const std::filesystem::path& path, const std::filesystem::path& cwd);

/// Every finding of an environment, discovery problems included, sorted (as
/// environment_findings sorts them). When the graph's findings are all there is and
/// already in that order (as `check` leaves them), they are read in place: a report of
/// tens of thousands of findings (`--lint all`) is not copied and sorted again.
class SortedFindings {
 public:
  explicit SortedFindings(const LoadedEnvironment& env);
  SortedFindings(const SortedFindings&) = delete;  // view_ may point into own_
  SortedFindings& operator=(const SortedFindings&) = delete;
  std::vector<Finding>::const_iterator begin() const { return view_->begin(); }
  std::vector<Finding>::const_iterator end() const { return view_->end(); }

 private:
  std::vector<Finding> own_;  ///< the sorted copy, when one was needed
  const std::vector<Finding>* view_ = nullptr;
};
SortedFindings all_findings(const LoadedEnvironment& env);

/// `path:line:col: severity: first sentence [code]` lines (each missing revision followed
/// by an indented `git history:` line when `history` knows it), then a summary per
/// environment. `verbose` adds the long form under each: the detail (consequence and fix)
/// and the related places. `history`, when given, has one entry per environment.
void write_text_report(std::ostream& out, const std::vector<LoadedEnvironment>& envs,
                       const std::vector<EnvironmentHistory>* history = nullptr,
                       bool verbose = false);

/// The documented JSON shape (tool, environments with revisions, heads, findings...);
/// a missing-revision finding gets a "history" object when `history` knows it.
nlohmann::ordered_json json_report(const std::vector<LoadedEnvironment>& envs,
                                   const std::vector<EnvironmentHistory>* history = nullptr);

/// One environment's graph facts and diagnostics as JSON (shared with the server).
nlohmann::ordered_json environment_json(const LoadedEnvironment& env,
                                        const EnvironmentHistory* history = nullptr);

}  // namespace alembic::cli
