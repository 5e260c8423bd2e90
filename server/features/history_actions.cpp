// Quick fixes from git history. The content comes from the lookups the server already ran
// in the background: this handler never runs git, it only reads what is known.
#include "server/features/history_actions.h"

#include <cstdint>
#include <filesystem>

#include "analysis/findings.h"
#include "platform/path_text.h"
#include "server/features/cursor.h"
#include "server/features/merge_action.h"
#include "server/history_lookups.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

namespace fs = std::filesystem;

bool quickfix_allowed(const protocol::CodeActionContext& context) {
  if (!context.only) return true;
  for (const std::string& o : *context.only)
    if (o == "quickfix" || o.empty()) return true;
  return false;
}

// The context diagnostics that are this finding's (same code and range), for the action.
std::vector<json> matching_diagnostics(Session& session, const protocol::CodeActionContext& context,
                                       const Finding& f) {
  std::vector<json> out;
  const protocol::Range range = session.range(f.location.path, f.location.range);
  for (const protocol::ClientDiagnostic& d : context.diagnostics)
    if (d.is_object && d.code == codes::kMissingRevision && d.range == range)
      out.push_back(d.value);
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

std::vector<protocol::CodeActionOrCommand> with_history_actions(
    Session& session, const protocol::CodeActionParams& params,
    std::vector<protocol::CodeActionOrCommand> actions) {
  const ClientSupport& client = session.client;
  if (!client.code_action_literals || !client.document_changes || !client.create_files)
    return actions;
  const protocol::CodeActionContext& context = params.context;
  if (!quickfix_allowed(context)) return actions;
  const std::string path = document_path(params.text_document);
  const EnvironmentState* env = session.environment_of(path);
  if (!env) return actions;
  const std::optional<fs::path> top = session.history().top(*env);

  uint32_t start = 0, end = UINT32_MAX;
  if (params.range) {
    start = session.offset(path, params.range->start);
    end = session.offset(path, params.range->end);
  }
  for (const Finding& f : env->graph.findings) {
    if (f.code != codes::kMissingRevision || f.location.path != path || f.revisions.size() < 2)
      continue;
    if (f.location.range.start_byte > end || f.location.range.end_byte < start) continue;
    const history::MissingRevisionHistory* h = session.history().missing(*env, f.revisions[1]);
    if (!h || !top) continue;
    for (const Candidate& c : candidates(*h)) {
      const fs::path target = *top / platform::utf8_path(c.path);
      const std::string normal = normal_path(target);
      std::error_code ec;
      // Never over an existing file, and only where this environment reads migrations.
      if (fs::exists(fs::symlink_status(target, ec)) || session.is_open(normal) ||
          session.environment_of(normal) != env)
        continue;
      protocol::CodeAction action;
      action.title = c.title;
      action.kind = "quickfix";
      action.edit = create_file_edit(target, *c.content);
      action.diagnostics = matching_diagnostics(session, context, f);
      actions.push_back(std::move(action));
    }
  }
  return actions;
}

}  // namespace alembic::server
