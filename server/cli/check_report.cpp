#include "server/cli/check_report.h"

#include <algorithm>
#include <map>
#include <ostream>

#include "analysis/findings.h"
#include "analysis/project_visit.h"

namespace alembic::cli {

namespace fs = std::filesystem;

std::string display_path(const fs::path& path, const fs::path& cwd) {
  fs::path abs = path.is_absolute() || cwd.empty() ? path : cwd / path;
  abs = abs.lexically_normal();
  if (!cwd.empty()) {
    fs::path rel = abs.lexically_relative(cwd);
    if (!rel.empty()) return rel.string();
  }
  return abs.string();
}

std::string display_path(const fs::path& path) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  return display_path(path, ec ? fs::path() : cwd);
}

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

}  // namespace

SortedFindings::SortedFindings(const LoadedEnvironment& env) {
  const std::vector<Finding>& graph = env.graph.findings;
  if (env.problems.empty() && env.environment.unread_folders.empty() &&
      std::is_sorted(graph.begin(), graph.end(), finding_before)) {
    view_ = &graph;  // what the stable sort of a sorted copy would give
    return;
  }
  own_ = environment_findings(env.environment, env.graph, env.problems,
                              [](const fs::path& p) { return display_path(p); });
  view_ = &own_;
}

SortedFindings all_findings(const LoadedEnvironment& env) {
  return SortedFindings(env);
}

void write_text_report(std::ostream& out, const std::vector<LoadedEnvironment>& envs,
                       const std::vector<EnvironmentHistory>* history, bool verbose) {
  for (size_t i = 0; i < envs.size(); ++i) {
    const EnvironmentHistory* env_history =
        history && i < history->size() ? &(*history)[i] : nullptr;
    std::string line;  // one write per finding: `--lint all` prints tens of thousands
    for (const auto& f : all_findings(envs[i])) {
      line.assign(f.location.path)
          .append(":")
          .append(std::to_string(f.location.range.start_line + 1))
          .append(":")
          .append(std::to_string(f.location.range.start_column + 1))
          .append(": ")
          .append(severity_name(f.severity))
          .append(": ")
          .append(f.message)
          .append(" [")
          .append(f.code)
          .append("]\n");
      out.write(line.data(), static_cast<std::streamsize>(line.size()));
      if (verbose) {  // the long form: consequence and fix, then the related places
        if (!f.detail.empty()) out << "    " << f.detail << "\n";
        for (const RelatedLocation& r : f.related)
          out << "    " << r.location.path << ':' << r.location.range.start_line + 1 << ':'
              << r.location.range.start_column + 1 << ": " << r.message << "\n";
      }
      const auto* h = history_of(env_history, f);
      if (h && history::worth_reporting(*h, f.suggestion.has_value()))
        out << "    git history: " << history::describe(*h) << "\n";
    }
  }
  for (const auto& env : envs) {
    const auto& g = env.graph;
    out << "\nenvironment " << env.environment.name;
    if (env.environment.config_path)
      out << " (" << display_path(*env.environment.config_path) << ")";
    out << ": " << g.revisions.size() << (g.revisions.size() == 1 ? " revision\n" : " revisions\n");
    out << "  heads (" << g.heads.size() << "):";
    // head_indexes tells the copies of a duplicated id apart.
    for (size_t k = 0; k < g.heads.size(); ++k) {
      out << "\n    " << g.heads[k];
      if (k < g.head_indexes.size())
        out << "  " << env.scripts[g.revisions[g.head_indexes[k]].script].path;
    }
    out << "\n  bases: " << (g.bases.empty() ? "none" : join(g.bases)) << "\n";
    if (!g.branch_points.empty()) {
      out << "  branch points:";
      for (const auto& [id, children] : g.branch_points)
        out << "\n    " << id << " -> " << join(children);
      out << "\n";
    }
    if (!g.merge_points.empty()) out << "  merge points: " << join(g.merge_points) << "\n";
    // Counts per severity, each with its codes: "1 error (missing-revision: 1), 0 warnings,
    // 2 infos (multiple-heads: 1, unread-migrations: 1)".
    std::map<Severity, std::map<std::string, int>> per_code;
    for (const auto& f : all_findings(env)) ++per_code[f.severity][f.code];
    out << "  findings: ";
    const std::pair<Severity, const char*> kinds[] = {{Severity::Error, "error"},
                                                      {Severity::Warning, "warning"},
                                                      {Severity::Information, "info"},
                                                      {Severity::Hint, "hint"}};
    bool first_kind = true;
    for (const auto& [severity, word] : kinds) {
      const auto& codes = per_code[severity];
      int n = 0;
      for (const auto& entry : codes) n += entry.second;
      if (n == 0 && severity != Severity::Error && severity != Severity::Warning) continue;
      out << (first_kind ? "" : ", ") << n << ' ' << word << (n == 1 ? "" : "s");
      first_kind = false;
      if (codes.empty()) continue;
      out << " (";
      bool first = true;
      for (const auto& [code, count] : codes) {
        out << (first ? "" : ", ") << code << ": " << count;
        first = false;
      }
      out << ")";
    }
    out << "\n  alembic: " << env.alembic.describe() << "\n";
  }
}

nlohmann::ordered_json environment_json(const LoadedEnvironment& env,
                                        const EnvironmentHistory* history) {
  using nlohmann::ordered_json;
  const auto& g = env.graph;
  ordered_json e;
  e["name"] = env.environment.name;
  e["config"] = env.environment.config_path
                    ? ordered_json(display_path(*env.environment.config_path))
                    : ordered_json(nullptr);
  ordered_json locations = ordered_json::array();
  for (const auto& l : env.environment.version_locations) locations.push_back(display_path(l));
  e["version_locations"] = locations;

  ordered_json revisions = ordered_json::array();
  for (const auto& r : g.revisions) {
    const Script& s = env.scripts[r.script];
    ordered_json j;
    j["id"] = r.id;
    j["path"] = s.path;
    j["line"] = s.parsed.revision.present ? s.parsed.revision.value_range.start_line + 1 : 1;
    j["down_revisions"] = r.down_revisions;
    j["depends_on"] = r.depends_on;
    j["branch_labels"] = sorted(r.branch_labels);
    j["message"] = s.parsed.docstring.message;
    revisions.push_back(std::move(j));
  }
  e["revisions"] = std::move(revisions);
  e["heads"] = sorted(g.heads);
  e["real_heads"] = sorted(g.real_heads);
  e["bases"] = sorted(g.bases);
  ordered_json bp = ordered_json::object();
  for (const auto& [id, children] : g.branch_points) bp[id] = sorted(children);
  e["branch_points"] = bp;
  e["merge_points"] = sorted(g.merge_points);
  // The Alembic whose behaviour the findings describe, and where that was read.
  e["alembic"] = {
      {"version", env.alembic.version_text()},
      {"source",
       env.alembic.source.empty() ? ordered_json(nullptr) : ordered_json(env.alembic.source)},
      {"requirement", env.alembic.requirement.empty() ? ordered_json(nullptr)
                                                      : ordered_json(env.alembic.requirement)}};

  ordered_json diagnostics = ordered_json::array();
  for (const auto& f : all_findings(env)) {
    ordered_json d;
    d["code"] = f.code;
    d["severity"] = severity_name(f.severity);
    d["message"] = full_message(f);  // one paragraph: the first sentence, then the detail
    d["summary"] = f.message;
    d["path"] = f.location.path;
    d["line"] = f.location.range.start_line + 1;
    d["column"] = f.location.range.start_column + 1;
    d["end_line"] = f.location.range.end_line + 1;
    d["end_column"] = f.location.range.end_column + 1;
    d["revisions"] = f.revisions;
    if (f.suggestion) d["suggestion"] = *f.suggestion;
    if (!f.related.empty()) {
      ordered_json related = ordered_json::array();
      for (const RelatedLocation& r : f.related)
        related.push_back({{"path", r.location.path},
                           {"line", r.location.range.start_line + 1},
                           {"column", r.location.range.start_column + 1},
                           {"message", r.message}});
      d["related"] = std::move(related);
    }
    if (const auto* h = history_of(history, f)) d["history"] = history_json(*h);
    diagnostics.push_back(std::move(d));
  }
  e["diagnostics"] = std::move(diagnostics);
  return e;
}

nlohmann::ordered_json json_report(const std::vector<LoadedEnvironment>& envs,
                                   const std::vector<EnvironmentHistory>* history) {
  nlohmann::ordered_json root;
  root["tool"] = {{"name", "alembic-lsp"}, {"version", ALEMBIC_LSP_VERSION}};
  root["environments"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < envs.size(); ++i)
    root["environments"].push_back(
        environment_json(envs[i], history && i < history->size() ? &(*history)[i] : nullptr));
  return root;
}

}  // namespace alembic::cli
