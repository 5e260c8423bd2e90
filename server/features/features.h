// Each LSP feature registers its handlers on the endpoint; one file per feature.
#pragma once

#include <string>

#include "protocol/lsp_fields.h"
#include "server/session.h"

namespace alembic::server {

/// Registers `handler` (Params -> a typed result, or std::optional of one: null) for a
/// request whose params are read as `Params`: a missing or mistyped member is answered
/// with InvalidParams naming it.
template <typename Params, typename Handler>
void on_request(Session& session, std::string method, Handler handler) {
  session.endpoint.on_request(
      std::move(method), [&session, handler](const json& params, const protocol::RequestContext&) {
        return protocol::to_result(handler(session, protocol::read_params<Params>(params)));
      });
}

/// The same for a notification.
template <typename Params, typename Handler>
void on_notification(Session& session, std::string method, Handler handler) {
  session.endpoint.on_notification(std::move(method), [&session, handler](const json& params) {
    handler(session, protocol::read_params<Params>(params));
  });
}

void register_lifecycle(Session& session);       ///< initialize, initialized, shutdown, exit
void register_text_sync(Session& session);       ///< didOpen, didChange, didClose, didSave
void register_workspace_sync(Session& session);  ///< workspace folders, watched files
void register_definition(Session& session);      ///< textDocument/definition
void register_references(Session& session);      ///< textDocument/references
void register_hover(Session& session);           ///< textDocument/hover
void register_code_actions(
    Session& session);                   ///< textDocument/codeAction, workspace/executeCommand
void register_rename(Session& session);  ///< textDocument/prepareRename, rename
void register_graph_request(Session& session);  ///< alembic/graph (custom)
void register_completion(Session& session);     ///< textDocument/completion
void register_symbols(Session& session);        ///< textDocument/documentSymbol, workspace/symbol
/// textDocument/codeLens, and the alembic.showRevisions command (after register_code_actions:
/// it passes other commands on to the executeCommand handler registered before it)
void register_code_lens(Session& session);
/// alembic.newMigration, alembic.showMigration (revision_action.h; chained like code lens)
void register_new_migration(Session& session);
void register_inlay_hints(Session& session);     ///< textDocument/inlayHint
void register_type_hierarchy(Session& session);  ///< prepareTypeHierarchy, supertypes, subtypes
/// textDocument/diagnostic, workspace/diagnostic
void register_pull_diagnostics(Session& session);
/// workspace/codeLens/refresh and workspace/inlayHint/refresh when the history changes
void register_view_refresh(Session& session);
/// alembic/migrations (custom): what the editors' migrations views list
void register_migrations_view(Session& session);

/// The `capabilities` the server announces in its initialize result.
protocol::ServerCapabilities server_capabilities(const Session& session);

}  // namespace alembic::server
