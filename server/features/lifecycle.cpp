// initialize / initialized / shutdown / exit, and what the server announces.
#include <spdlog/spdlog.h>

#include "platform/path_text.h"
#include "protocol/log.h"
#include "protocol/lsp_lifecycle.h"
#include "server/editor_settings.h"
#include "server/features/features.h"
#include "server/uri.h"
#include "server/watchers.h"

namespace alembic::server {

namespace {

std::vector<fs::path> read_roots(const protocol::InitializeParams& params) {
  std::vector<fs::path> roots;
  auto add_uri = [&](const std::string& uri) {
    if (auto p = uri_to_path(uri)) {
      roots.push_back(platform::utf8_path(*p));
    } else {
      spdlog::warn("ignoring workspace root {}: not a file URI", json(uri).dump());
    }
  };
  for (const std::string& uri : params.workspace_folders) add_uri(uri);
  if (roots.empty() && params.root_uri) add_uri(*params.root_uri);
  if (roots.empty() && params.root_path) roots.push_back(platform::utf8_path(*params.root_path));
  return roots;
}

void start_file_watcher(Session& session) {
  if (!session.settings.watch_files || session.file_watcher) return;
  session.file_watcher = std::make_unique<FileWatcher>([&session](FileEvents events) {
    session.endpoint.post([&session, events = std::move(events)] {
      std::vector<Session::DiskChange> changes;
      for (const auto& p : events.deleted) changes.push_back({p, true});
      for (const auto& p : events.changed) changes.push_back({p, false});
      session.files_changed_on_disk(changes);
    });
  });
}

void register_watched_files(Session& session) {
  protocol::WatchedFilesRegistrationParams registration{"alembic-lsp/watched-files", {}};
  // The lock and requirements files name the Alembic the project runs.
  for (const char* glob : {"**/*.py", "**/alembic.ini", "**/pyproject.toml", "**/script.py.mako",
                           "**/uv.lock", "**/poetry.lock", "**/requirements*.txt"})
    registration.watchers.push_back({glob});  // created, changed and deleted
  session.watch_registration_sent = true;     // the head files follow once known (Session::changed)
  session.endpoint.send_request(
      "client/registerCapability", registration, [&session](const protocol::Reply& reply) {
        if (!reply.ok()) {
          spdlog::warn("client refused file watching ({}); watching files itself",
                       reply.error->what());
          session.client.watched_files_dynamic = false;
          start_file_watcher(session);
          session.changed();
        }
      });
}

}  // namespace

protocol::ServerCapabilities server_capabilities(const Session& session) {
  protocol::ServerCapabilities caps;
  caps.position_encoding = session.encoding;
  caps.code_action_kinds = {"quickfix", "source", "source.alembic.mergeHeads",
                            "source.alembic.newMigration"};
  caps.commands = {"alembic.mergeHeads", "alembic.showRevisions", "alembic.newMigration",
                   "alembic.showMigration"};
  caps.completion_trigger_characters = {"'", "\""};
  if (session.settings.pull_diagnostics) caps.pull_diagnostics_identifier = "alembic";
  return caps;
}

void register_lifecycle(Session& session) {
  auto& ep = session.endpoint;

  ep.set_gate([&session](std::string_view method,
                         protocol::CallKind kind) -> std::optional<protocol::RpcError> {
    using protocol::ErrorCode;
    bool request = kind == protocol::CallKind::Request;
    switch (session.lifecycle) {
      case Lifecycle::Uninitialized:
        if (method == "initialize" || method == "exit") return std::nullopt;
        return protocol::RpcError(ErrorCode::ServerNotInitialized,
                                  "the server is not initialized yet: send 'initialize' first");
      case Lifecycle::Running:
        if (request && method == "initialize")
          return protocol::RpcError(ErrorCode::InvalidRequest, "'initialize' was already received");
        return std::nullopt;
      case Lifecycle::ShutDown:
        if (method == "exit") return std::nullopt;
        return protocol::RpcError(ErrorCode::InvalidRequest,
                                  "the server is shutting down: only 'exit' is accepted");
    }
    return std::nullopt;
  });

  ep.on_request("initialize", [&session](const json& raw, const protocol::RequestContext&) {
    const auto params = protocol::read_params<protocol::InitializeParams>(raw);
    session.client = params.capabilities;
    session.encoding = params.capabilities.position_encoding;
    if (params.initialization_options.is_object()) {
      const ServerOptions options = server_options(params.initialization_options);
      for (const std::string& problem : options.problems)
        protocol::show_message(session.endpoint, protocol::MessageType::Warning, problem);
      if (options.watch_files) session.settings.watch_files = *options.watch_files;
      if (options.pull_diagnostics) session.settings.pull_diagnostics = *options.pull_diagnostics;
      session.set_editor_settings(params.initialization_options);
    }
    if (params.trace) {
      if (auto t = protocol::parse_trace_value(*params.trace)) session.endpoint.set_trace(*t);
    }
    session.core.workspace().set_roots(read_roots(params));
    if (params.process_id && *params.process_id > 0 && *params.process_id <= INT32_MAX) {
      session.parent_watch =
          std::make_unique<ParentWatch>(static_cast<int>(*params.process_id), [&session] {
            session.endpoint.post([&session] {
              session.exit_code = 1;
              session.endpoint.stop();
            });
          });
    }
    session.lifecycle = Lifecycle::Running;
    return json(protocol::InitializeResult{server_capabilities(session), "alembic-lsp",
                                           ALEMBIC_LSP_VERSION});
  });

  ep.on_notification("initialized", [&session](const json&) {
    if (session.client.watched_files_dynamic) {
      register_watched_files(session);
    } else {
      start_file_watcher(session);
    }
    session.index_in_background();
  });

  ep.on_request("shutdown", [&session](const json&, const protocol::RequestContext&) {
    session.lifecycle = Lifecycle::ShutDown;
    return json(nullptr);
  });

  ep.on_notification("exit", [&session](const json&) {
    session.exit_code = session.lifecycle == Lifecycle::ShutDown ? 0 : 1;
    session.endpoint.stop();
  });
}

}  // namespace alembic::server
