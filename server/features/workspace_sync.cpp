// workspace/didChangeWorkspaceFolders and workspace/didChangeWatchedFiles.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "server/features/features.h"
#include "server/history_lookups.h"
#include "server/uri.h"

namespace alembic::server {

void register_workspace_sync(Session& session) {
  auto& ep = session.endpoint;

  ep.on_notification("workspace/didChangeWorkspaceFolders", [&session](const json& params) {
    const json& event = params.at("event");
    std::vector<fs::path> roots = session.core.workspace().roots();
    for (const auto& f : event.value("removed", json::array())) {
      if (auto p = uri_to_path(f.at("uri").get<std::string>()))
        roots.erase(std::remove(roots.begin(), roots.end(), fs::path(normal_path(*p))), roots.end());
    }
    for (const auto& f : event.value("added", json::array())) {
      if (auto p = uri_to_path(f.at("uri").get<std::string>())) roots.emplace_back(normal_path(*p));
    }
    session.core.workspace().set_roots(std::move(roots));
    session.reindex_now();
  });

  ep.on_notification("workspace/didChangeWatchedFiles", [&session](const json& params) {
    for (const auto& change : params.at("changes")) {
      auto path = uri_to_path(change.at("uri").get<std::string>());
      if (!path) continue;
      std::string p = normal_path(*path);
      session.invalidate(p);
      // FileChangeType: 1 created, 2 changed, 3 deleted.
      if (change.at("type").get<int>() == 3) {
        session.core.workspace().file_deleted_on_disk(p);
      } else {
        session.core.workspace().file_changed_on_disk(p);
      }
    }
    session.history().disk_changed();
    session.changed();
  });

  // Settings pushed by the client: {"settings": {"alembic-lsp": {...}}}. Clients that
  // send something else (null, or their own sections) leave the settings as they are.
  ep.on_notification("workspace/didChangeConfiguration", [&session](const json& params) {
    if (!params.is_object() || !params.contains("settings") || !params["settings"].is_object() ||
        !params["settings"].contains("alembic-lsp")) {
      spdlog::debug("didChangeConfiguration without an \"alembic-lsp\" section: nothing to do");
      return;
    }
    session.set_editor_settings(params["settings"]["alembic-lsp"]);
    if (session.indexed()) session.changed();
  });
}

}  // namespace alembic::server
