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

#include "protocol/lsp_diagnostics.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

using protocol::Diagnostic;
using protocol::DocumentDiagnosticReport;

// FNV-1a of the diagnostics' JSON: stable across runs, unlike std::hash.
std::string result_id(const std::vector<Diagnostic>& diagnostics) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : json(diagnostics).dump()) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

DocumentDiagnosticReport report(std::vector<Diagnostic> diagnostics,
                                const std::optional<std::string>& previous_id) {
  DocumentDiagnosticReport r;
  r.result_id = result_id(diagnostics);
  r.unchanged = previous_id == r.result_id;
  if (!r.unchanged) r.items = std::move(diagnostics);
  return r;
}

DocumentDiagnosticReport document_diagnostic(Session& session,
                                             const protocol::DocumentDiagnosticParams& params) {
  const std::string path = document_path(params.text_document);
  std::map<std::string, std::vector<Diagnostic>> all = session.diagnostics_by_uri();
  auto it = all.find(path_to_uri(path));
  return report(it == all.end() ? std::vector<Diagnostic>() : std::move(it->second),
                params.previous_result_id);
}

protocol::WorkspaceDiagnosticReport workspace_diagnostic(
    Session& session, const protocol::WorkspaceDiagnosticParams& params) {
  std::map<std::string, std::string> previous;  // uri -> resultId the client holds
  for (const protocol::PreviousResultId& p : params.previous_result_ids) previous[p.uri] = p.value;

  std::map<std::string, std::vector<Diagnostic>> all = session.diagnostics_by_uri();
  // A file the client holds diagnostics for and that has none now is reported empty.
  for (const auto& [uri, _] : previous) all.try_emplace(uri);
  protocol::WorkspaceDiagnosticReport out;
  for (auto& [uri, diagnostics] : all) {
    auto held = previous.find(uri);
    DocumentDiagnosticReport r =
        report(std::move(diagnostics),
               held == previous.end() ? std::nullopt : std::optional<std::string>(held->second));
    r.uri = uri;
    out.items.push_back(std::move(r));
  }
  return out;
}

}  // namespace

void register_pull_diagnostics(Session& session) {
  on_request<protocol::DocumentDiagnosticParams>(session, "textDocument/diagnostic",
                                                 document_diagnostic);
  on_request<protocol::WorkspaceDiagnosticParams>(session, "workspace/diagnostic",
                                                  workspace_diagnostic);
}

}  // namespace alembic::server
