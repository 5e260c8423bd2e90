// Running the language server on a connection.
#pragma once

#include "protocol/transport.h"

namespace alembic::server {

/// Serves one client on `stream` until `exit` (or end of stream, or the client's
/// process dies). Returns the process exit code: 0 after shutdown + exit, else 1.
int serve(protocol::ByteStream& stream);

}  // namespace alembic::server
