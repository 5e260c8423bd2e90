// Rendering `check` results as text or JSON.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/project.h"

namespace alembic::cli {

/// `path` relative to the current directory (as the user typed paths), else absolute.
std::string display_path(const std::filesystem::path& path);
/// The same with the working directory given (empty: unknown), for loops over many files.
std::string display_path(const std::filesystem::path& path, const std::filesystem::path& cwd);

/// Every finding of an environment, discovery problems included, sorted.
std::vector<Finding> all_findings(const LoadedEnvironment& env);

/// `path:line:col: severity: message [code]` lines, then a summary per environment.
void write_text_report(std::ostream& out, const std::vector<LoadedEnvironment>& envs);

/// The documented JSON shape (tool, environments with revisions, heads, findings...).
nlohmann::ordered_json json_report(const std::vector<LoadedEnvironment>& envs);

/// One environment's graph facts and diagnostics as JSON (shared with the server).
nlohmann::ordered_json environment_json(const LoadedEnvironment& env);

}  // namespace alembic::cli
