#include "protocol/lsp_lifecycle.h"

#include <initializer_list>

namespace alembic::protocol {

namespace {

// The member at `path`, or nullptr when a step is missing or not an object.
const json* member(const json& in, std::initializer_list<const char*> path) {
  const json* node = &in;
  for (const char* key : path) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

bool flag(const json& in, std::initializer_list<const char*> path) {
  const json* node = member(in, path);
  return node && node->is_boolean() && node->get<bool>();
}

bool lists(const json& in, std::initializer_list<const char*> path, const char* value) {
  const json* node = member(in, path);
  if (!node || !node->is_array()) return false;
  for (const json& item : *node)
    if (item == value) return true;
  return false;
}

const char* kind_name(WorkDoneProgress::Kind kind) {
  switch (kind) {
    case WorkDoneProgress::Kind::Begin:
      return "begin";
    case WorkDoneProgress::Kind::Report:
      return "report";
    case WorkDoneProgress::Kind::End:
      return "end";
  }
  return "end";
}

}  // namespace

void from_json(const json& in, ClientCapabilities& c) {
  c = ClientCapabilities();
  c.position_encoding = negotiate_position_encoding(in);
  c.work_done_progress = flag(in, {"window", "workDoneProgress"});
  c.watched_files_dynamic = flag(in, {"workspace", "didChangeWatchedFiles", "dynamicRegistration"});
  c.watched_files_relative_patterns =
      flag(in, {"workspace", "didChangeWatchedFiles", "relativePatternSupport"});
  c.apply_edit = flag(in, {"workspace", "applyEdit"});
  c.document_changes = flag(in, {"workspace", "workspaceEdit", "documentChanges"});
  if (c.document_changes) {
    c.create_files = lists(in, {"workspace", "workspaceEdit", "resourceOperations"}, "create");
    c.rename_files = lists(in, {"workspace", "workspaceEdit", "resourceOperations"}, "rename");
    c.change_annotations =
        member(in, {"workspace", "workspaceEdit", "changeAnnotationSupport"}) != nullptr;
  }
  c.related_information = flag(in, {"textDocument", "publishDiagnostics", "relatedInformation"});
  c.code_action_literals =
      member(in, {"textDocument", "codeAction", "codeActionLiteralSupport"}) != nullptr;
  c.markdown_hover = lists(in, {"textDocument", "hover", "contentFormat"}, "markdown");
  c.workspace_folders = flag(in, {"workspace", "workspaceFolders"});
  c.hierarchical_symbols =
      flag(in, {"textDocument", "documentSymbol", "hierarchicalDocumentSymbolSupport"});
  c.diagnostic_refresh = flag(in, {"workspace", "diagnostics", "refreshSupport"});
  c.code_lens_refresh = flag(in, {"workspace", "codeLens", "refreshSupport"});
  c.inlay_hint_refresh = flag(in, {"workspace", "inlayHint", "refreshSupport"});
  c.show_document = flag(in, {"window", "showDocument", "support"});
}

void from_json(const json& in, InitializeParams& value) {
  expect_object(in);
  value = InitializeParams();
  read_lenient(in, "processId", value.process_id);
  read_lenient(in, "rootUri", value.root_uri);
  read_lenient(in, "rootPath", value.root_path);
  if (const json* folders = member(in, {"workspaceFolders"}); folders && folders->is_array())
    for (const json& folder : *folders)
      if (const json* uri = member(folder, {"uri"}); uri && uri->is_string())
        value.workspace_folders.push_back(uri->get<std::string>());
  if (const json* caps = member(in, {"capabilities"})) from_json(*caps, value.capabilities);
  if (const json* options = member(in, {"initializationOptions"}))
    value.initialization_options = *options;
  read_lenient(in, "trace", value.trace);
}

void to_json(json& out, const ServerCapabilities& value) {
  out = {
      {"positionEncoding", to_string(value.position_encoding)},
      {"textDocumentSync",
       {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"hoverProvider", true},
      {"renameProvider", {{"prepareProvider", true}}},
      {"codeActionProvider",
       {{"codeActionKinds", value.code_action_kinds}, {"resolveProvider", false}}},
      {"executeCommandProvider", {{"commands", value.commands}}},
      {"completionProvider", {{"triggerCharacters", value.completion_trigger_characters}}},
      {"documentSymbolProvider", true},
      {"workspaceSymbolProvider", true},
      {"codeLensProvider", {{"resolveProvider", false}}},
      {"inlayHintProvider", true},
      {"typeHierarchyProvider", true},
      {"workspace", {{"workspaceFolders", {{"supported", true}, {"changeNotifications", true}}}}},
  };
  if (value.pull_diagnostics_identifier)
    out["diagnosticProvider"] = {{"identifier", *value.pull_diagnostics_identifier},
                                 {"interFileDependencies", true},
                                 {"workspaceDiagnostics", true}};
}

void to_json(json& out, const InitializeResult& value) {
  out = {{"capabilities", value.capabilities},
         {"serverInfo", {{"name", value.server_name}, {"version", value.server_version}}}};
}

void to_json(json& out, const ProgressParams& value) {
  json progress = {{"kind", kind_name(value.value.kind)}};
  if (value.value.kind == WorkDoneProgress::Kind::Begin) progress["title"] = value.value.title;
  if (value.value.kind == WorkDoneProgress::Kind::Report) progress["message"] = value.value.message;
  write_optional(progress, "percentage", value.value.percentage);
  out = {{"token", value.token}, {"value", std::move(progress)}};
}

void to_json(json& out, const WorkDoneProgressCreateParams& value) {
  out = {{"token", value.token}};
}

void to_json(json& out, const FileSystemWatcher& value) {
  out = {{"globPattern", value.glob_pattern}, {"kind", value.kind}};
}

void to_json(json& out, const WatchedFilesRegistrationParams& value) {
  json registration = {{"id", value.id},
                       {"method", "workspace/didChangeWatchedFiles"},
                       {"registerOptions", {{"watchers", value.watchers}}}};
  out = {{"registrations", json::array({std::move(registration)})}};
}

void to_json(json& out, const WatchedFilesUnregistrationParams& value) {
  json unregistration = {{"id", value.id}, {"method", "workspace/didChangeWatchedFiles"}};
  out = {{"unregisterations", json::array({std::move(unregistration)})}};
}

}  // namespace alembic::protocol
