// What a textDocument/* request points at: the document as a workspace path, the
// environment and script it belongs to, and the revision reference under the cursor.
// Shared by definition, references and hover so each handler reads as one rule.
#pragma once

#include <optional>
#include <string>

#include "analysis/references.h"
#include "protocol/lsp_types.h"
#include "server/session.h"

namespace alembic::server {

/// A document's uri as a normal path. Throws RpcError(InvalidParams) naming the URI when
/// it is not a file URI.
std::string document_path(const protocol::TextDocumentIdentifier& document);
std::string document_path(const std::string& uri);

/// The place a position request points at.
struct Cursor {
  std::string path;
  const EnvironmentState* env = nullptr;       ///< nullptr: not a migration of any environment
  long script = -1;                            ///< index into env->scripts, or -1
  std::optional<RevisionReference> reference;  ///< the revision name under the cursor
};

/// Finds what is under the cursor of a position request.
Cursor cursor_at(Session& session, const protocol::TextDocumentPositionParams& params);

}  // namespace alembic::server
