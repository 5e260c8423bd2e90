// initialize / initialized / shutdown / exit, and what the server announces.
#include <spdlog/spdlog.h>

#include "protocol/log.h"
#include "server/features/features.h"
#include "server/history_lookups.h"
#include "server/uri.h"
#include "server/watchers.h"

namespace alembic::server {

namespace {

bool flag(const json& caps, std::initializer_list<const char*> path) {
  const json* node = &caps;
  for (const char* key : path) {
    if (!node->is_object() || !node->contains(key)) return false;
    node = &(*node)[key];
  }
  return node->is_boolean() && node->get<bool>();
}

ClientSupport read_client_support(const json& caps) {
  ClientSupport c;
  c.work_done_progress = flag(caps, {"window", "workDoneProgress"});
  c.watched_files_dynamic = flag(caps, {"workspace", "didChangeWatchedFiles", "dynamicRegistration"});
  c.watched_files_relative_patterns =
      flag(caps, {"workspace", "didChangeWatchedFiles", "relativePatternSupport"});
  c.apply_edit = flag(caps, {"workspace", "applyEdit"});
  c.document_changes = flag(caps, {"workspace", "workspaceEdit", "documentChanges"});
  if (c.document_changes) {
    const json& ops = caps["workspace"]["workspaceEdit"].value("resourceOperations", json::array());
    for (const auto& op : ops) {
      c.create_files |= op == "create";
      c.rename_files |= op == "rename";
    }
    c.change_annotations =
        caps["workspace"]["workspaceEdit"].contains("changeAnnotationSupport");
  }
  c.related_information = flag(caps, {"textDocument", "publishDiagnostics", "relatedInformation"});
  c.code_action_literals = caps.contains("textDocument") && caps["textDocument"].contains("codeAction") &&
                           caps["textDocument"]["codeAction"].contains("codeActionLiteralSupport");
  if (caps.contains("textDocument") && caps["textDocument"].contains("hover")) {
    for (const auto& f : caps["textDocument"]["hover"].value("contentFormat", json::array()))
      c.markdown_hover |= f == "markdown";
  }
  c.workspace_folders = flag(caps, {"workspace", "workspaceFolders"});
  c.hierarchical_symbols =
      flag(caps, {"textDocument", "documentSymbol", "hierarchicalDocumentSymbolSupport"});
  c.diagnostic_refresh = flag(caps, {"workspace", "diagnostics", "refreshSupport"});
  c.code_lens_refresh = flag(caps, {"workspace", "codeLens", "refreshSupport"});
  c.inlay_hint_refresh = flag(caps, {"workspace", "inlayHint", "refreshSupport"});
  return c;
}

std::vector<fs::path> read_roots(const json& params) {
  std::vector<fs::path> roots;
  auto add_uri = [&](const json& uri) {
    if (!uri.is_string()) return;
    if (auto p = uri_to_path(uri.get<std::string>())) {
      roots.emplace_back(*p);
    } else {
      spdlog::warn("ignoring workspace root {}: not a file URI", uri.dump());
    }
  };
  if (params.contains("workspaceFolders") && params["workspaceFolders"].is_array()) {
    for (const auto& f : params["workspaceFolders"]) add_uri(f.value("uri", json()));
  }
  if (roots.empty() && params.contains("rootUri")) add_uri(params["rootUri"]);
  if (roots.empty() && params.contains("rootPath") && params["rootPath"].is_string())
    roots.emplace_back(params["rootPath"].get<std::string>());
  return roots;
}

void start_inotify(Session& session) {
  if (!session.settings.watch_files || session.file_watcher) return;
  session.file_watcher = std::make_unique<FileWatcher>([&session](FileEvents events) {
    session.endpoint.post([&session, events = std::move(events)] {
      for (const auto& p : events.deleted) {
        session.invalidate(p);
        session.core.workspace().file_deleted_on_disk(p);
      }
      for (const auto& p : events.changed) {
        session.invalidate(p);
        session.core.workspace().file_changed_on_disk(p);
      }
      session.history().disk_changed();
      session.changed();
    });
  });
}

void register_watched_files(Session& session) {
  json watchers = json::array();
  // The lock and requirements files name the Alembic the project runs.
  for (const char* glob : {"**/*.py", "**/alembic.ini", "**/pyproject.toml", "**/script.py.mako",
                           "**/uv.lock", "**/poetry.lock", "**/requirements*.txt"})
    watchers.push_back({{"globPattern", glob}, {"kind", 7}});
  json registration = {{"id", "alembic-lsp/watched-files"},
                       {"method", "workspace/didChangeWatchedFiles"},
                       {"registerOptions", {{"watchers", watchers}}}};
  session.endpoint.send_request("client/registerCapability", {{"registrations", {registration}}},
                                [&session](const protocol::Reply& reply) {
                                  if (!reply.ok()) {
                                    spdlog::warn("client refused file watching ({}); using inotify",
                                                 reply.error->what());
                                    session.client.watched_files_dynamic = false;
                                    start_inotify(session);
                                    session.changed();
                                  }
                                });
}

}  // namespace

json server_capabilities(const Session& session) {
  json caps = {
      {"positionEncoding", protocol::to_string(session.encoding)},
      {"textDocumentSync",
       {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"hoverProvider", true},
      {"renameProvider", {{"prepareProvider", true}}},
      {"codeActionProvider",
       {{"codeActionKinds", {"quickfix", "source", "source.alembic.mergeHeads"}}, {"resolveProvider", false}}},
      {"executeCommandProvider", {{"commands", {"alembic.mergeHeads", "alembic.showRevisions"}}}},
      {"completionProvider", {{"triggerCharacters", {"'", "\""}}}},
      {"documentSymbolProvider", true},
      {"workspaceSymbolProvider", true},
      {"codeLensProvider", {{"resolveProvider", false}}},
      {"inlayHintProvider", true},
      {"typeHierarchyProvider", true},
      {"workspace",
       {{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}},
  };
  if (session.settings.pull_diagnostics)
    caps["diagnosticProvider"] = {
        {"identifier", "alembic"}, {"interFileDependencies", true}, {"workspaceDiagnostics", true}};
  return caps;
}

void register_lifecycle(Session& session) {
  auto& ep = session.endpoint;

  ep.set_gate([&session](std::string_view method, protocol::CallKind kind) -> std::optional<protocol::RpcError> {
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

  ep.on_request("initialize", [&session](const json& params, const protocol::RequestContext&) {
    if (!params.is_object()) throw protocol::RpcError(protocol::ErrorCode::InvalidParams, "initialize params must be an object");
    const json caps = params.value("capabilities", json::object());
    session.encoding = protocol::negotiate_position_encoding(caps);
    session.client = read_client_support(caps);
    if (params.contains("initializationOptions") && params["initializationOptions"].is_object()) {
      const json& options = params["initializationOptions"];
      if (options.contains("watchFiles")) {
        if (options["watchFiles"].is_boolean()) {
          session.settings.watch_files = options["watchFiles"].get<bool>();
        } else {
          protocol::show_message(session.endpoint, protocol::MessageType::Warning,
                                 "alembic-lsp: initializationOptions.watchFiles must be true or "
                                 "false; files are watched");
        }
      }
      if (options.contains("pullDiagnostics")) {
        if (options["pullDiagnostics"].is_boolean()) {
          session.settings.pull_diagnostics = options["pullDiagnostics"].get<bool>();
        } else {
          protocol::show_message(session.endpoint, protocol::MessageType::Warning,
                                 "alembic-lsp: initializationOptions.pullDiagnostics must be true "
                                 "or false; diagnostics are pushed");
        }
      }
      session.set_editor_settings(options);
    }
    if (params.contains("trace") && params["trace"].is_string()) {
      if (auto t = protocol::parse_trace_value(params["trace"].get<std::string>())) session.endpoint.set_trace(*t);
    }
    session.core.workspace().set_roots(read_roots(params));
    if (params.contains("processId") && params["processId"].is_number_integer()) {
      int pid = params["processId"].get<int>();
      if (pid > 0) {
        session.parent_watch = std::make_unique<ParentWatch>(pid, [&session] {
          session.endpoint.post([&session] {
            session.exit_code = 1;
            session.endpoint.stop();
          });
        });
      }
    }
    session.lifecycle = Lifecycle::Running;
    return json{{"capabilities", server_capabilities(session)},
                {"serverInfo", {{"name", "alembic-lsp"}, {"version", ALEMBIC_LSP_VERSION}}}};
  });

  ep.on_notification("initialized", [&session](const json&) {
    if (session.client.watched_files_dynamic) {
      register_watched_files(session);
    } else {
      start_inotify(session);
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
