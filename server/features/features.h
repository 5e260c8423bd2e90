// Each LSP feature registers its handlers on the endpoint; one file per feature.
#pragma once

#include "server/session.h"

namespace alembic::server {

void register_lifecycle(Session& session);       ///< initialize, initialized, shutdown, exit
void register_text_sync(Session& session);       ///< didOpen, didChange, didClose, didSave
void register_workspace_sync(Session& session);  ///< workspace folders, watched files
void register_definition(Session& session);      ///< textDocument/definition
void register_references(Session& session);      ///< textDocument/references
void register_hover(Session& session);           ///< textDocument/hover
void register_code_actions(Session& session);    ///< textDocument/codeAction, workspace/executeCommand
void register_rename(Session& session);          ///< textDocument/prepareRename, rename
void register_graph_request(Session& session);   ///< alembic/graph (custom)

/// The `capabilities` the server announces in its initialize result.
json server_capabilities(const Session& session);

}  // namespace alembic::server
