// textDocument/prepareRename and textDocument/rename of a revision id: the `revision`
// string, its docstring header, every child's down_revision and `Revises:`, every
// depends_on naming it, and the file name when it starts with the id (as a RenameFile
// when the client can rename files). The rules live in analysis/rename_plan.h.
//
// The edit carries a change annotation that needs confirmation: a database already
// stamped with the old id no longer matches any revision and needs `alembic stamp`.
#include <spdlog/spdlog.h>

#include "analysis/rename_plan.h"
#include "platform/path_text.h"
#include "protocol/lsp_language.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/workspace_edit.h"

namespace alembic::server {

namespace {

using protocol::ErrorCode;
using protocol::RpcError;

// The id under the cursor that a rename would change, or an RpcError saying why not;
// nullopt when the cursor is on no revision name at all.
std::optional<std::string> id_under(const Cursor& cursor) {
  if (!cursor.reference) return std::nullopt;
  std::string why;
  std::optional<std::string> id = renamable_id(cursor.env->graph, *cursor.reference, &why);
  if (!id) throw RpcError(ErrorCode::RequestFailed, "cannot rename: " + why);
  return id;
}

std::optional<protocol::PrepareRenameResult> prepare_rename(
    Session& session, const protocol::TextDocumentPositionParams& params) {
  const Cursor cursor = cursor_at(session, params);
  const std::optional<std::string> id = id_under(cursor);
  if (!id) return std::nullopt;
  const RevisionReference& ref = *cursor.reference;
  SourceRange range = ref.range;
  // A literal is renamed inside its quotes; the docstring range is the bare id already.
  if (const auto body = literal_body(session.text_of(cursor.path), {ref.text, ref.range})) {
    range.start_byte = body->first;
    range.end_byte = body->second;
  } else if (ref.kind != ReferenceKind::DocstringRevisionId &&
             ref.kind != ReferenceKind::DocstringRevises) {
    throw RpcError(ErrorCode::RequestFailed, "cannot rename: '" + ref.text +
                                                 "' is not written as a plain string literal here");
  }
  return protocol::PrepareRenameResult{session.range(cursor.path, range), *id};
}

bool path_taken(Session& session, const EnvironmentState& env, const std::string& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(platform::utf8_path(path), ec)) ||
         env.script_index(path) >= 0 || session.is_open(path);
}

std::optional<protocol::WorkspaceEdit> rename(Session& session,
                                              const protocol::RenameParams& params) {
  const Cursor cursor = cursor_at(session, params);
  const std::optional<std::string> old_id = id_under(cursor);
  if (!old_id) return std::nullopt;
  const std::string& new_id = params.new_name;

  std::string why;
  const TextReader read = [&session](const std::string& path) { return session.text_of(path); };
  std::optional<EditPlan> plan =
      plan_rename(cursor.env->graph, cursor.env->scripts, *old_id, new_id, read, &why);
  if (!plan) throw RpcError(ErrorCode::RequestFailed, "cannot rename: " + why);
  for (const FileRename& r : plan->renames)
    if (path_taken(session, *cursor.env, r.to))
      throw RpcError(
          ErrorCode::RequestFailed,
          "cannot rename: " + r.to + " already exists (the file would be renamed to it)");
  if (drops_renames(session, *plan)) {
    spdlog::info("rename {} -> {}: the client cannot rename files; file names left as they are",
                 *old_id, new_id);
    plan->renames.clear();
  }
  EditAnnotation note;
  note.id = "alembic.renameRevision";
  note.label = "Rename revision " + *old_id + " to " + new_id;
  note.description = "Databases already stamped with " + *old_id +
                     " (their alembic_version table) will no longer match any revision: run "
                     "`alembic stamp " +
                     new_id + "` on each of them after this rename.";
  return workspace_edit(session, *plan, note);
}

}  // namespace

void register_rename(Session& session) {
  on_request<protocol::TextDocumentPositionParams>(session, "textDocument/prepareRename",
                                                   prepare_rename);
  on_request<protocol::RenameParams>(session, "textDocument/rename", rename);
}

}  // namespace alembic::server
