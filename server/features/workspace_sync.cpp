// workspace/didChangeWorkspaceFolders and workspace/didChangeWatchedFiles.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "platform/path_text.h"
#include "protocol/lsp_sync.h"
#include "server/editor_settings.h"
#include "server/features/features.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

void folders_changed(Session& session, const protocol::DidChangeWorkspaceFoldersParams& params) {
  std::vector<fs::path> roots = session.core.workspace().roots();
  for (const protocol::WorkspaceFolder& f : params.removed) {
    if (auto p = uri_to_path(f.uri))
      roots.erase(std::remove(roots.begin(), roots.end(), platform::utf8_path(normal_path(*p))),
                  roots.end());
  }
  for (const protocol::WorkspaceFolder& f : params.added) {
    if (auto p = uri_to_path(f.uri)) roots.push_back(platform::utf8_path(normal_path(*p)));
  }
  session.core.workspace().set_roots(std::move(roots));
  session.reindex_now();
}

void watched_files_changed(Session& session, const protocol::DidChangeWatchedFilesParams& params) {
  std::vector<Session::DiskChange> changes;
  for (const protocol::FileEvent& change : params.changes) {
    if (auto path = uri_to_path(change.uri))
      changes.push_back({normal_path(*path), change.type == protocol::FileChangeType::Deleted});
  }
  session.files_changed_on_disk(changes);
}

}  // namespace

void register_workspace_sync(Session& session) {
  on_notification<protocol::DidChangeWorkspaceFoldersParams>(
      session, "workspace/didChangeWorkspaceFolders", folders_changed);
  on_notification<protocol::DidChangeWatchedFilesParams>(session, "workspace/didChangeWatchedFiles",
                                                         watched_files_changed);

  // Settings pushed by the client: {"settings": {"alembic-lsp": {...}}}. Clients that
  // send something else (null, or their own sections) leave the settings as they are.
  session.endpoint.on_notification(
      "workspace/didChangeConfiguration", [&session](const json& params) {
        const protocol::DidChangeConfigurationParams change =
            protocol::read_configuration(params, kSettingsSection);
        if (!change.section) {
          spdlog::debug("didChangeConfiguration without an \"{}\" section: nothing to do",
                        kSettingsSection);
          return;
        }
        session.set_editor_settings(*change.section);
        if (session.indexed()) session.changed();
      });
}

}  // namespace alembic::server
