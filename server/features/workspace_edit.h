// An analysis EditPlan (byte offsets, file renames) as an LSP WorkspaceEdit, shaped by
// what the client supports: documentChanges with change annotations and RenameFile
// operations when it can, a plain `changes` map otherwise (file renames then left out).
#pragma once

#include <optional>
#include <string>

#include "analysis/source_edit.h"
#include "protocol/lsp_edits.h"
#include "server/session.h"

namespace alembic::server {

/// A ChangeAnnotation the client shows before applying the edit.
struct EditAnnotation {
  std::string id;  ///< e.g. "alembic.rename"
  std::string label;
  std::string description;
  bool needs_confirmation = true;
};

/// The WorkspaceEdit applying `plan`. `annotation`, when given and supported, is
/// attached to every edit and file operation.
protocol::WorkspaceEdit workspace_edit(
    Session& session, const EditPlan& plan,
    const std::optional<EditAnnotation>& annotation = std::nullopt);

/// True when `plan` renames files the client cannot rename (they would be left out).
bool drops_renames(const Session& session, const EditPlan& plan);

}  // namespace alembic::server
