// `check` output for CI systems: GitHub workflow commands, SARIF 2.1.0 (whose rules are
// the help text of analysis/finding_rules.h) and GitLab Code Quality.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/project.h"

namespace alembic::cli {

/// Where reported paths are made relative to: the git work tree's top when the current
/// directory is inside one (what GitHub and code-scanning tools resolve paths against),
/// else the current directory. Absolute.
std::filesystem::path report_root();

/// A finding's path (as reported: relative to the current directory, or absolute)
/// relative to `root` with '/' separators; nullopt when it lies outside `root`.
std::optional<std::string> relative_to_root(const std::string& path,
                                            const std::filesystem::path& root);

/// Turns byte columns into the 1-based UTF-16 code unit columns GitHub and SARIF viewers
/// count, reading each file once. A file that cannot be read keeps byte column + 1.
class Utf16Columns {
 public:
  /// The column of 0-based `byte_column` on 0-based `line` of `path`.
  uint32_t column(const std::string& path, uint32_t line, uint32_t byte_column);

 private:
  std::map<std::string, std::optional<std::vector<std::string>>> files_;
};

/// GitHub Actions workflow commands, one per finding:
/// `::error file=F,line=L,col=C,endLine=..,endColumn=..,title=CODE::message`.
void write_github_report(std::ostream& out, const std::vector<LoadedEnvironment>& envs);

/// `%`, CR and LF escaped as GitHub requires in a command's message.
std::string github_escape_data(std::string_view text);
/// As above, plus `:` and `,` (a property value).
std::string github_escape_property(std::string_view text);

/// A SARIF 2.1.0 log with one run: the rules of every code, one result per finding.
nlohmann::ordered_json sarif_report(const std::vector<LoadedEnvironment>& envs);

/// A GitLab Code Quality report: one entry per finding (description, check_name,
/// fingerprint, severity, location with path and lines).
nlohmann::ordered_json gitlab_report(const std::vector<LoadedEnvironment>& envs);

/// The result fingerprint: a stable hash of the code, the path and the revisions.
std::string finding_fingerprint(const Finding& finding, std::string_view relative_path);

}  // namespace alembic::cli
