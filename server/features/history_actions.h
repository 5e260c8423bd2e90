// "Restore <file> from <commit>" and "Bring <file> from <ref>": quick fixes for a
// missing-revision diagnostic that bring back the file defining the missing parent, with
// its content from git (see server/history_lookups.h). Offered only when the client can
// create files; the edit never overwrites.
#pragma once

#include <vector>

#include "protocol/lsp_edits.h"
#include "server/session.h"

namespace alembic::server {

/// `actions` (the other code actions of a textDocument/codeAction request) followed by
/// the history quick fixes for the missing-revision findings in the requested range.
std::vector<protocol::CodeActionOrCommand> with_history_actions(
    Session& session, const protocol::CodeActionParams& params,
    std::vector<protocol::CodeActionOrCommand> actions);

}  // namespace alembic::server
