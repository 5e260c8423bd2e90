// textDocument/inlayHint: after each name in `down_revision` / `depends_on`, the first
// line of the message of the revision it names, so a row of hex ids reads as history.
// A missing name gets no hint (its diagnostic says enough).
#include <spdlog/spdlog.h>

#include "analysis/references.h"
#include "protocol/lsp_language.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/revision_items.h"

namespace alembic::server {

namespace {

constexpr size_t kMaxHintBytes = 60;
// At most this many hints per request: a generated file naming thousands of parents
// would otherwise make each scroll send megabytes the editor cannot show anyway.
constexpr size_t kMaxHints = 1000;

std::vector<protocol::InlayHint> inlay_hints(Session& session,
                                             const protocol::InlayHintParams& params) {
  const std::string path = document_path(params.text_document);
  const EnvironmentState* env = session.environment_of(path);
  if (!env) return {};
  const long script = env->script_index(path);
  if (script < 0) return {};
  // The requested range, as bytes; the whole document when absent.
  uint32_t from = 0;
  uint32_t to = UINT32_MAX;
  if (params.range) {
    from = session.offset(path, params.range->start);
    to = session.offset(path, params.range->end);
  }

  std::vector<protocol::InlayHint> hints;
  for (const RevisionReference& ref : collect_references(env->scripts[script].parsed)) {
    if (ref.kind != ReferenceKind::DownRevision && ref.kind != ReferenceKind::DependsOn) continue;
    if (ref.range.end_byte < from || ref.range.start_byte > to) continue;
    if (hints.size() == kMaxHints) {
      spdlog::info(
          "inlay hints of {}: more than {} revision references in the requested range; "
          "only the first {} get a hint",
          path, kMaxHints, kMaxHints);
      break;
    }
    const std::vector<size_t> targets = resolve_reference(env->graph, ref);
    if (targets.empty()) continue;
    const size_t target = targets.back();  // the copy Alembic keeps
    const std::string summary = revision_summary(*env, target, kMaxHintBytes);
    if (summary.empty()) continue;
    const std::string& id = env->graph.revisions[target].id;
    const std::string file = display_path(session, script_of_revision(*env, target).path);
    hints.push_back({session.range(path, ref.range).end, summary, true,
                     (id == ref.text ? id : ref.text + " → " + id) + " · " + file});
  }
  return hints;
}

}  // namespace

void register_inlay_hints(Session& session) {
  on_request<protocol::InlayHintParams>(session, "textDocument/inlayHint", inlay_hints);
}

}  // namespace alembic::server
