// textDocument/documentSymbol: the revision a file declares, with its parents
// (down_revision), what it depends on and its branch labels as children.
// workspace/symbol: revisions of every environment found by id prefix or by words of
// their message (analysis/revision_search.h); id-prefix matches first.
#include <algorithm>

#include "analysis/revision_search.h"
#include "protocol/lsp_language.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/revision_items.h"

namespace alembic::server {

namespace {

using protocol::SymbolKind;
constexpr SymbolKind kRevisionKind = SymbolKind::Class;    // as in the type hierarchy
constexpr SymbolKind kParentKind = SymbolKind::Field;      // a down_revision element
constexpr SymbolKind kDependsKind = SymbolKind::Property;  // a depends_on element
constexpr SymbolKind kLabelKind = SymbolKind::Key;         // a branch label
constexpr size_t kMaxWorkspaceSymbols = 1000;

SourceRange hull(SourceRange a, const SourceRange& b) {
  if (b.start_byte < a.start_byte) {
    a.start_byte = b.start_byte;
    a.start_line = b.start_line;
    a.start_column = b.start_column;
  }
  if (b.end_byte > a.end_byte) {
    a.end_byte = b.end_byte;
    a.end_line = b.end_line;
    a.end_column = b.end_column;
  }
  return a;
}

// What a down_revision / depends_on name stands for, as a child symbol's detail.
std::string named_detail(const EnvironmentState& env, const RevisionReference& ref) {
  const std::vector<size_t> targets = resolve_reference(env.graph, ref);
  std::string detail = reference_kind_name(ref.kind);
  if (targets.empty()) return detail + " (missing)";
  const std::string summary = revision_summary(env, targets.back());
  const std::string& id = env.graph.revisions[targets.back()].id;
  if (id != ref.text) detail += " → " + id;
  return summary.empty() ? detail : detail + ": " + summary;
}

// DocumentSymbol[] or, for clients without hierarchical symbols, SymbolInformation[].
using DocumentSymbols =
    std::variant<std::vector<protocol::DocumentSymbol>, std::vector<protocol::SymbolInformation>>;

DocumentSymbols document_symbols(Session& session, const protocol::DocumentParams& params) {
  const std::string path = document_path(params.text_document);
  const EnvironmentState* env = session.environment_of(path);
  if (!env) return {};
  const long script_index = env->script_index(path);
  if (script_index < 0) return {};
  const Script& script = env->scripts[static_cast<size_t>(script_index)];
  const std::optional<size_t> revision =
      revision_of_script(*env, static_cast<size_t>(script_index));
  if (!revision) return {};

  const std::string& id = env->graph.revisions[*revision].id;
  SourceRange whole = revision_statement_range(script);
  std::vector<protocol::DocumentSymbol> children;
  for (const RevisionReference& ref : collect_references(script.parsed)) {
    std::optional<SymbolKind> kind;
    if (ref.kind == ReferenceKind::DownRevision) kind = kParentKind;
    if (ref.kind == ReferenceKind::DependsOn) kind = kDependsKind;
    if (ref.kind == ReferenceKind::BranchLabel) kind = kLabelKind;
    if (!kind) continue;
    const protocol::Range r = session.range(path, ref.range);
    const std::string detail = ref.kind == ReferenceKind::BranchLabel ? std::string("branch label")
                                                                      : named_detail(*env, ref);
    children.push_back({ref.text, detail, *kind, r, r, std::nullopt});
    whole = hull(whole, ref.range);
  }
  const std::string summary = revision_summary(*env, *revision);
  if (!session.client.hierarchical_symbols) {
    // SymbolInformation[]: the revision, then each name with it as container.
    std::vector<protocol::SymbolInformation> flat;
    flat.push_back({id, kRevisionKind, session.location(path, revision_statement_range(script)),
                    std::nullopt});
    for (const protocol::DocumentSymbol& c : children)
      flat.push_back({c.name, c.kind, {params.text_document.uri, c.range}, id});
    return flat;
  }
  protocol::DocumentSymbol symbol{id,
                                  std::nullopt,
                                  kRevisionKind,
                                  session.range(path, whole),
                                  session.range(path, revision_declaration_range(script)),
                                  std::move(children)};
  if (!summary.empty()) symbol.detail = summary;
  return std::vector<protocol::DocumentSymbol>{std::move(symbol)};
}

std::vector<protocol::SymbolInformation> workspace_symbols(
    Session& session, const protocol::WorkspaceSymbolParams& params) {
  const std::string& query = params.query;
  struct Hit {
    RevisionMatch match;
    const EnvironmentState* env;
    size_t revision;
  };
  std::vector<Hit> hits;
  for (const auto& env : session.environments()) {
    for (size_t i = 0; i < env->graph.revisions.size(); ++i) {
      const RevisionMatch m =
          match_revision(query, env->graph.revisions[i].id, revision_summary(*env, i));
      if (m != RevisionMatch::None) hits.push_back({m, env.get(), i});
    }
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const Hit& a, const Hit& b) { return a.match < b.match; });
  if (hits.size() > kMaxWorkspaceSymbols) hits.resize(kMaxWorkspaceSymbols);
  std::vector<protocol::SymbolInformation> out;
  for (const Hit& h : hits) {
    const std::string summary = revision_summary(*h.env, h.revision);
    // The name carries the message too: clients filter symbols on their name, and a
    // search by message words must survive that.
    const std::string& id = h.env->graph.revisions[h.revision].id;
    protocol::SymbolInformation s{summary.empty() ? id : id + " " + summary, kRevisionKind,
                                  revision_location(session, *h.env, h.revision), std::nullopt};
    if (!h.env->environment.name.empty()) s.container_name = h.env->environment.name;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

void register_symbols(Session& session) {
  on_request<protocol::DocumentParams>(session, "textDocument/documentSymbol", document_symbols);
  on_request<protocol::WorkspaceSymbolParams>(session, "workspace/symbol", workspace_symbols);
}

}  // namespace alembic::server
