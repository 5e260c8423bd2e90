// `check --format gitlab`: a GitLab Code Quality report, the JSON array a job publishes as
// `artifacts: reports: codequality`; GitLab shows its entries in the merge request and on
// the changed lines.
// https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
#include <map>

#include "analysis/findings.h"
#include "server/cli/check_report.h"
#include "server/cli/report_formats.h"

namespace alembic::cli {

namespace {

// Code Quality's scale is info, minor, major, critical, blocker. An error stops `alembic
// upgrade`, so it is critical; a warning is minor; information stays info.
const char* severity_of(Severity s) {
  switch (s) {
    case Severity::Error:
      return "critical";
    case Severity::Warning:
      return "minor";
    default:
      return "info";
  }
}

}  // namespace

nlohmann::ordered_json gitlab_report(const std::vector<LoadedEnvironment>& envs) {
  const std::filesystem::path root = report_root();
  nlohmann::ordered_json report = nlohmann::ordered_json::array();
  // GitLab keeps one entry per fingerprint; two findings of one code on one file naming the
  // same revisions (two config warnings of one pyproject.toml) get -2, -3... in report order.
  std::map<std::string, int> seen;
  for (const auto& env : envs) {
    for (const Finding& f : all_findings(env)) {
      const std::string path = relative_to_root(f.location.path, root).value_or(f.location.path);
      std::string fingerprint = finding_fingerprint(f, path);
      if (const int n = ++seen[fingerprint]; n > 1) fingerprint += "-" + std::to_string(n);
      report.push_back({{"description", full_message(f)},
                        {"check_name", f.code},
                        {"fingerprint", fingerprint},
                        {"severity", severity_of(f.severity)},
                        {"location",
                         {{"path", path},
                          {"lines",
                           {{"begin", f.location.range.start_line + 1},
                            {"end", f.location.range.end_line + 1}}}}}});
    }
  }
  return report;
}

}  // namespace alembic::cli
