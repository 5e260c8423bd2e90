// "Restore <file> from <commit>" and "Bring <file> from <ref>": quick fixes for a
// missing-revision diagnostic that bring back the file defining the missing parent, with
// its content from git (see server/history_lookups.h). Offered only when the client can
// create files; the edit never overwrites.
#pragma once

#include "server/session.h"

namespace alembic::server {

/// `actions` (the other code actions of a textDocument/codeAction request) followed by
/// the history quick fixes for the missing-revision findings in the requested range.
json with_history_actions(Session& session, const json& params, json actions);

}  // namespace alembic::server
