// Quick fixes from git history. The content comes from the lookups the server already ran
// in the background: this handler never runs git, it only reads what is known.
#include "server/features/history_actions.h"

#include <cstdint>
#include <filesystem>

#include "analysis/findings.h"
#include "server/features/cursor.h"
#include "server/features/merge_action.h"
#include "server/history_lookups.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

namespace fs = std::filesystem;

bool quickfix_allowed(const json& context) {
  const json only = context.value("only", json());
  if (!only.is_array()) return true;
  for (const json& o : only)
    if (o == "quickfix" || o == "") return true;
  return false;
}

// The context diagnostics that are this finding's (same code and range), for the action.
json matching_diagnostics(Session& session, const json& context, const Finding& f) {
  json out = json::array();
  const json range = session.range(f.location.path, f.location.range);
  for (const json& d : context.value("diagnostics", json::array()))
    if (d.is_object() && d.value("code", json()) == std::string(codes::kMissingRevision) &&
        d.value("range", json()) == range)
      out.push_back(d);
  return out;
}

struct Candidate {
  std::string title;
  std::string path;  ///< relative to the repository's top
  const std::string* content;
};

std::vector<Candidate> candidates(const history::MissingRevisionHistory& h) {
  std::vector<Candidate> out;
  using history::Fate;
  if (h.fate == Fate::InHead || h.fate == Fate::Deleted || h.fate == Fate::Renamed) {
    const std::string from = h.fate == Fate::InHead ? "HEAD" : h.restore_from.substr(0, 10);
    out.push_back({"Restore " + h.path + " from " + from, h.path, &h.content});
  }
  for (const history::RefCopy& r : h.refs)
    out.push_back({"Bring " + r.path + " from " + r.ref, r.path, &r.content});
  return out;
}

}  // namespace

json with_history_actions(Session& session, const json& params, json actions) {
  const ClientSupport& client = session.client;
  if (!actions.is_array() || !client.code_action_literals ||
      !client.document_changes || !client.create_files)
    return actions;
  const json context = params.value("context", json::object());
  if (!context.is_object() || !quickfix_allowed(context)) return actions;
  const std::string path = document_path(params);
  const EnvironmentState* env = session.environment_of(path);
  if (!env) return actions;
  const std::optional<fs::path> top = session.history().top(*env);

  uint32_t start = 0, end = UINT32_MAX;
  const json range = params.value("range", json());
  if (range.is_object() && range.contains("start") && range.contains("end")) {
    start = session.offset(path, range["start"]);
    end = session.offset(path, range["end"]);
  }
  for (const Finding& f : env->graph.findings) {
    if (f.code != codes::kMissingRevision || f.location.path != path || f.revisions.size() < 2)
      continue;
    if (f.location.range.start_byte > end || f.location.range.end_byte < start) continue;
    const history::MissingRevisionHistory* h = session.history().missing(*env, f.revisions[1]);
    if (!h || !top) continue;
    for (const Candidate& c : candidates(*h)) {
      const fs::path target = *top / c.path;
      const std::string normal = normal_path(target);
      std::error_code ec;
      // Never over an existing file, and only where this environment reads migrations.
      if (fs::exists(fs::symlink_status(target, ec)) || session.is_open(normal) ||
          session.environment_of(normal) != env)
        continue;
      json action = {
          {"title", c.title}, {"kind", "quickfix"}, {"edit", create_file_edit(target, *c.content)}};
      json diagnostics = matching_diagnostics(session, context, f);
      if (!diagnostics.empty()) action["diagnostics"] = std::move(diagnostics);
      actions.push_back(std::move(action));
    }
  }
  return actions;
}

}  // namespace alembic::server
