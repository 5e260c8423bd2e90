// Pull diagnostics, for clients that prefer asking to being told: textDocument/diagnostic
// and workspace/diagnostic answer with exactly what publishDiagnostics sends (both come
// from Session::diagnostics_by_uri). A resultId is a hash of a file's diagnostics, so a
// client sending it back gets "unchanged" as long as they are the same, with no state
// kept per client. Clients opt in with initializationOptions.pullDiagnostics; the server
// then announces diagnosticProvider and stops pushing (see Session::publish_diagnostics).
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>

#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

// FNV-1a of the diagnostics' JSON: stable across runs, unlike std::hash.
std::string result_id(const json& diagnostics) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : diagnostics.dump()) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

json report(const json& diagnostics, const json& previous_id) {
  const std::string id = result_id(diagnostics);
  if (previous_id.is_string() && previous_id.get<std::string>() == id)
    return {{"kind", "unchanged"}, {"resultId", id}};
  return {{"kind", "full"}, {"resultId", id}, {"items", diagnostics}};
}

json document_diagnostic(Session& session, const json& params) {
  const std::string path = document_path(params);
  return report(session.diagnostics_of_uri(path_to_uri(path)),
                params.value("previousResultId", json()));
}

json workspace_diagnostic(Session& session, const json& params) {
  std::map<std::string, json> previous;  // uri -> resultId the client holds
  for (const json& p : params.value("previousResultIds", json::array()))
    if (p.is_object() && p.value("uri", json()).is_string())
      previous[p["uri"].get<std::string>()] = p.value("value", json());

  std::map<std::string, json> all = session.diagnostics_by_uri();
  // A file the client holds diagnostics for and that has none now is reported empty.
  for (const auto& [uri, _] : previous) all.try_emplace(uri, json::array());
  json items = json::array();
  for (const auto& [uri, diagnostics] : all) {
    auto held = previous.find(uri);
    json r = report(diagnostics, held == previous.end() ? json() : held->second);
    r["uri"] = uri;
    r["version"] = nullptr;
    items.push_back(std::move(r));
  }
  return {{"items", std::move(items)}};
}

}  // namespace

void register_pull_diagnostics(Session& session) {
  session.endpoint.on_request("textDocument/diagnostic",
                              [&session](const json& params, const protocol::RequestContext&) {
                                return document_diagnostic(session, params);
                              });
  session.endpoint.on_request("workspace/diagnostic",
                              [&session](const json& params, const protocol::RequestContext&) {
                                return workspace_diagnostic(session, params);
                              });
}

}  // namespace alembic::server
