// Quick fixes for the findings a codeAction request's context reports on one document:
// each is a precise WorkspaceEdit keeping the file's quoting, preferred where there is
// one obvious choice. The merge of multiple heads stays in code_actions.cpp.
#pragma once

#include <optional>
#include <string>

#include "server/features/workspace_edit.h"
#include "server/session.h"

namespace alembic::server {

/// CodeAction literals fixing the alembic diagnostics among `diagnostics` (from
/// context.diagnostics) of `path`. Diagnostics are matched to the current findings by
/// code and range; stale or foreign ones get nothing.
std::vector<protocol::CodeAction> quick_fixes(
    Session& session, const std::string& path,
    const std::vector<protocol::ClientDiagnostic>& diagnostics);

/// One quickfix CodeAction applying `plan`.
protocol::CodeAction quick_fix_action(
    Session& session, const std::string& title, const EditPlan& plan,
    const protocol::ClientDiagnostic& diagnostic, bool preferred,
    const std::optional<EditAnnotation>& annotation = std::nullopt);

/// "Rebase this branch onto <other head>" actions for a multiple-heads diagnostic on
/// the head declared by script `script` of `env` (see analysis/rebase_plan.h).
std::vector<protocol::CodeAction> rebase_actions(Session& session, const EnvironmentState& env,
                                                 size_t script,
                                                 const protocol::ClientDiagnostic& diagnostic);

}  // namespace alembic::server
