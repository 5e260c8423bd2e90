// "New migration on head X": the file `alembic revision -m MSG` would write (planned by
// analysis/revision_plan.h, as `alembic-lsp revision` plans it), as a source code action
// and as the workspace commands
//   alembic.newMigration  [{uri, head?, message?}]  plan, create (through the client when
//                          it can), then show the file; answers {path, uri, revision,
//                          parent, appliedBy}
//   alembic.showMigration [{uri}]  window/showDocument, run after a code action's edit
// `uri` names the environment: any of its migrations, its alembic.ini / pyproject.toml
// or its script location; with only one environment it may be left out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/revision_plan.h"
#include "protocol/lsp_edits.h"
#include "server/session.h"

namespace alembic::server {

inline constexpr std::string_view kNewMigrationCommand = "alembic.newMigration";
inline constexpr std::string_view kShowMigrationCommand = "alembic.showMigration";
inline constexpr std::string_view kNewMigrationKind = "source.alembic.newMigration";

/// The new migration of `env` on `head` (nullopt: the only head), planned now.
std::optional<RevisionPlan> plan_revision_for(Session& session, const EnvironmentState& env,
                                              std::optional<std::string> head,
                                              std::optional<std::string> message, std::string* why);

/// "New migration on head 1a2b3c4d5e6f" / "New migration (the first of the history)".
std::string revision_title(const RevisionPlan& plan);

/// THE WorkspaceEdit that creates a new migration: CreateFile (never overwriting) and the
/// script's text. Everything else a new migration must change in the same edit (a head
/// file, say) belongs here, so the code action and the command stay alike. The paths of
/// those other files go to `also_changed` when given.
protocol::WorkspaceEdit new_migration_edit(Session& session, const EnvironmentState& env,
                                           const RevisionPlan& plan,
                                           std::vector<std::string>* also_changed = nullptr);

/// The "New migration on head X" actions for a document: in a head's file, that head's;
/// in another migration of the environment, one per head. Empty unless the client can
/// create files through a code action's edit, or `source.alembic.newMigration` is excluded.
std::vector<protocol::CodeActionOrCommand> new_migration_actions(
    Session& session, const protocol::CodeActionParams& params);

/// alembic.newMigration and alembic.showMigration, passing other commands on to the
/// workspace/executeCommand handler registered before.
void register_new_migration(Session& session);

}  // namespace alembic::server
