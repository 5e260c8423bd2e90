// `check --format github`: GitHub Actions workflow commands, which GitHub turns into
// annotations on the pull request's files.
// https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
#include <ostream>

#include "analysis/findings.h"
#include "server/cli/check_report.h"
#include "server/cli/report_formats.h"

namespace alembic::cli {

namespace {

std::string escape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* command_of(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    default:
      return "notice";
  }
}

}  // namespace

std::string github_escape_data(std::string_view text) {
  return escape(text, false);
}
std::string github_escape_property(std::string_view text) {
  return escape(text, true);
}

void write_github_report(std::ostream& out, const std::vector<LoadedEnvironment>& envs) {
  const std::filesystem::path root = report_root();
  Utf16Columns columns;
  size_t errors = 0, warnings = 0, notices = 0;
  for (const auto& env : envs) {
    for (const Finding& f : all_findings(env)) {
      const SourceRange& r = f.location.range;
      const std::string file = relative_to_root(f.location.path, root).value_or(f.location.path);
      out << "::" << command_of(f.severity) << " file=" << github_escape_property(file)
          << ",line=" << r.start_line + 1 << ",endLine=" << r.end_line + 1;
      // GitHub keeps columns only for a range on one line.
      if (r.start_line == r.end_line) {
        out << ",col=" << columns.column(f.location.path, r.start_line, r.start_column)
            << ",endColumn=" << columns.column(f.location.path, r.end_line, r.end_column);
      }
      out << ",title=" << github_escape_property(f.code)
          << "::" << github_escape_data(full_message(f, "\n")) << "\n";
      (f.severity == Severity::Error     ? errors
       : f.severity == Severity::Warning ? warnings
                                         : notices)++;
    }
  }
  out << "alembic-lsp: " << errors << (errors == 1 ? " error, " : " errors, ") << warnings
      << (warnings == 1 ? " warning, " : " warnings, ") << notices
      << (notices == 1 ? " notice" : " notices") << " in " << envs.size()
      << (envs.size() == 1 ? " environment\n" : " environments\n");
}

}  // namespace alembic::cli
