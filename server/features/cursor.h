// What a textDocument/* request points at: the document as a workspace path, the
// environment and script it belongs to, and the revision reference under the cursor.
// Shared by definition, references and hover so each handler reads as one rule.
#pragma once

#include <optional>
#include <string>

#include "analysis/references.h"
#include "server/session.h"

namespace alembic::server {

/// params["textDocument"]["uri"] as a normal path. Throws RpcError(InvalidParams) naming
/// the URI when it is not a file URI.
std::string document_path(const json& params);

/// The place a position request points at.
struct Cursor {
  std::string path;
  const EnvironmentState* env = nullptr;  ///< nullptr: not a migration of any environment
  long script = -1;                       ///< index into env->scripts, or -1
  std::optional<RevisionReference> reference;  ///< the revision name under the cursor
};

/// Reads textDocument and position from `params` and finds what is under the cursor.
Cursor cursor_at(Session& session, const json& params);

}  // namespace alembic::server
