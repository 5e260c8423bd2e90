// What several editor features say about one revision: its file as people read it, its
// message's first line, where its `revision = ...` statement is, and its location.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/lsp_types.h"
#include "server/session.h"

namespace alembic::server {

/// The path shown to people: relative to the workspace root holding it, else absolute.
std::string display_path(const Session& session, const std::string& path);

/// The script declaring revision `index` (into env.graph.revisions).
const Script& script_of_revision(const EnvironmentState& env, size_t index);

/// The first line of revision `index`'s docstring message ("" when it has none).
std::string revision_summary(const EnvironmentState& env, size_t index, size_t max_chars = 0);

/// The whole `revision = '...'` statement, else revision_declaration_range (an id taken
/// from the file name): a range that always holds the declaration range.
SourceRange revision_statement_range(const Script& script);

/// The revision (index into env.graph.revisions) that script `script` declares, its own
/// copy when the id is duplicated; nullopt for a file declaring none.
std::optional<size_t> revision_of_script(const EnvironmentState& env, size_t script);

/// The Location of revision `index`'s declaration.
protocol::Location revision_location(Session& session, const EnvironmentState& env, size_t index);

/// Every revision of `env` with this id (all copies of a duplicated id), load order.
std::vector<size_t> revisions_with_id(const EnvironmentState& env, const std::string& id);

/// Every revision named by `ids` (each id once, every copy of it), in the order given.
std::vector<size_t> revisions_named(const EnvironmentState& env,
                                    const std::vector<std::string>& ids);

}  // namespace alembic::server
