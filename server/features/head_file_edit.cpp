#include "server/features/head_file_edit.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "analysis/finding_rules.h"
#include "analysis/merge_plan.h"
#include "protocol/position.h"
#include "server/features/merge_action.h"
#include "server/features/quick_fixes.h"
#include "server/head_files.h"
#include "server/new_file.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

constexpr std::string_view kCode = rule_of(Code::HeadFileMismatch).code;

// Appends `piece` to `edit`, keeping the shape `edit` already has.
void append(protocol::WorkspaceEdit& edit, protocol::WorkspaceEdit piece) {
  if (piece.document_changes) {
    auto& changes =
        edit.document_changes ? *edit.document_changes : edit.document_changes.emplace();
    for (auto& c : *piece.document_changes) changes.push_back(std::move(c));
  }
  if (piece.changes) {
    auto& changes = edit.changes ? *edit.changes : edit.changes.emplace();
    for (auto& [uri, edits] : *piece.changes)
      for (auto& e : edits) changes[uri].push_back(std::move(e));
  }
}

// The WorkspaceEdit giving the head file `file` (current text `text`, nullopt when
// missing) the text `wanted`; nullopt when nothing is to do or the client cannot.
std::optional<protocol::WorkspaceEdit> rewrite(Session& session, const HeadFile& file,
                                               const std::optional<std::string>& text,
                                               const std::string& wanted) {
  const std::string uri = path_to_uri(file.path.string());
  const ClientSupport& client = session.client;
  protocol::WorkspaceEdit edit;
  if (text) {
    if (*text == wanted) return std::nullopt;
    // Measured on the text read now: the head file's line index may not be cached.
    const protocol::LineIndex index(*text);
    const protocol::TextEdit whole{index.range_of({0, text->size()}, session.encoding), wanted,
                                   std::nullopt};
    if (client.document_changes) {
      edit.document_changes = {protocol::TextDocumentEdit{{uri, std::nullopt}, {whole}}};
    } else {
      edit.changes = {{uri, {whole}}};
    }
    return edit;
  }
  if (!client.document_changes || !client.create_files) return std::nullopt;
  edit.document_changes = {
      protocol::CreateFile{uri, {}, std::nullopt},
      protocol::TextDocumentEdit{{uri, std::nullopt}, {{{}, wanted, std::nullopt}}}};
  return edit;
}

std::vector<std::string> sorted_heads(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

std::vector<std::string> add_head_file_edit(Session& session, const EnvironmentState& env,
                                            const std::vector<std::string>& heads,
                                            protocol::WorkspaceEdit& edit) {
  std::vector<std::string> paths;
  const Workspace& workspace = session.core.workspace();
  for (const HeadFile& file : head_files_of(workspace, env)) {
    std::string error;
    const std::optional<std::string> text = head_file_text(workspace, file, &error);
    if (!text && !error.empty()) {
      spdlog::warn("head file {} left as it is: {}", file.name, error);
      continue;
    }
    if (auto piece = rewrite(session, file, text,
                             head_file_text_with(file, &env.environment, sorted_heads(heads)))) {
      append(edit, std::move(*piece));
      paths.push_back(normal_path(file.path));
    }
  }
  return paths;
}

std::vector<std::string> add_head_file_edit_for_new_revision(
    Session& session, const EnvironmentState& env, const std::string& new_id,
    const std::vector<std::string>& parents, protocol::WorkspaceEdit& edit) {
  return add_head_file_edit(session, env, heads_after_new_revision(env.graph, new_id, parents),
                            edit);
}

std::vector<std::string> write_head_files(Session& session, const EnvironmentState& env,
                                          const std::vector<std::string>& heads) {
  std::vector<std::string> written;
  const Workspace& workspace = session.core.workspace();
  for (const HeadFile& file : head_files_of(workspace, env)) {
    std::string error;
    const std::optional<std::string> text = head_file_text(workspace, file, &error);
    const std::string wanted = head_file_text_with(file, &env.environment, sorted_heads(heads));
    if ((!text && !error.empty()) || (text && *text == wanted)) continue;
    if (text) {
      replace_file(file.path, wanted);
    } else {
      write_new_file(file.path, wanted);
    }
    written.push_back(normal_path(file.path));
  }
  return written;
}

std::vector<protocol::CodeAction> head_file_actions(
    Session& session, const std::string& path,
    const std::vector<protocol::ClientDiagnostic>& diagnostics) {
  std::vector<protocol::CodeAction> actions;
  const Workspace& workspace = session.core.workspace();
  for (const protocol::ClientDiagnostic& d : diagnostics) {
    if (!d.is_object || d.code != kCode || (d.source && *d.source != "alembic")) continue;
    for (const HeadFile& file : workspace_head_files(workspace)) {
      std::string error;
      const std::optional<std::string> text = head_file_text(workspace, file, &error);
      const bool here = normal_path(file.path) == path;
      const bool missing_here = !text && error.empty() && file.settings_name == path;
      if (!here && !missing_here) continue;
      const bool conflict = text && text->find("<<<<<<<") != std::string::npos;
      bool forked = false;
      for (const HeadFileSubject& s : file.subjects)
        forked = forked || recorded_heads(*s.graph).size() > 1;
      // Rewriting from the graph fits when the history is what it should be; on a fork
      // the merge (or a rebase) is the fix, and it rewrites the file too.
      if (!conflict || !forked)
        if (auto edit = rewrite(session, file, text, expected_head_file(file))) {
          protocol::CodeAction a;
          a.title = text ? "Rewrite " + file.path.filename().string() + " from the history"
                         : "Create " + file.path.filename().string() + " with the head id";
          a.kind = "quickfix";
          a.diagnostics = {d.value};
          a.edit = std::move(*edit);
          if (!forked) a.is_preferred = true;
          actions.push_back(std::move(a));
        }
      if (!forked || !here) continue;
      for (const HeadFileSubject& s : file.subjects) {
        if (recorded_heads(*s.graph).size() < 2) continue;
        const EnvironmentState* env = nullptr;
        for (const auto& e : session.environments())
          if (&e->environment == s.environment) env = e.get();
        if (!env || env->scripts.empty()) continue;
        // The merge, when the client can create files (otherwise it is offered on the
        // migrations' multiple-heads diagnostics, as a command).
        std::string why;
        const bool can_create = session.client.document_changes && session.client.create_files;
        if (can_create)
          if (std::optional<MergePlan> plan =
                  plan_merge_for(session, env->scripts.front().path, &why)) {
            protocol::CodeAction a;
            a.title = merge_title(*plan);
            a.kind = "quickfix";
            a.diagnostics = {d.value};
            a.edit = create_file_edit(*plan);
            add_head_file_edit_for_new_revision(session, *env, plan->revision, plan->parents,
                                                *a.edit);
            a.is_preferred = true;
            actions.push_back(std::move(a));
          }
        // The rebases of each head's branch onto another head.
        for (size_t head : env->graph.head_indexes) {
          const size_t script = env->graph.revisions[head].script;
          for (protocol::CodeAction& a : rebase_actions(session, *env, script, d))
            actions.push_back(std::move(a));
        }
      }
    }
    break;  // one set of actions, whichever diagnostic asked
  }
  return actions;
}

}  // namespace alembic::server
