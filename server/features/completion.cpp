// textDocument/completion inside `down_revision` / `depends_on`: in a string, or after a
// bare `down_revision = `. The current heads come first, then every other id, then (for
// depends_on, which accepts them) branch labels; each with its message as detail and its
// file as documentation. The file's own revision and everything after it in the history
// are never offered: naming one would make a cycle. Filtered by id prefix or by words of the
// message, so typing "orders" offers the revision that created them. Where the cursor is comes from
// analysis/revision_slot.h, how a name matches from analysis/revision_search.h.
#include <algorithm>
#include <set>
#include <unordered_set>

#include "analysis/revision_search.h"
#include "analysis/revision_slot.h"
#include "protocol/lsp_language.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/revision_items.h"

namespace alembic::server {

namespace {

// A history of 10,000 revisions would send them all at the first keystroke; the list is
// incomplete anyway (asked again as the user types), so the first ones are enough.
constexpr size_t kMaxItems = 200;

struct Candidate {
  std::string name;  // what gets written
  size_t revision;   // the revision it names
  int group;         // 0 head, 1 other id, 2 branch label
  RevisionMatch match;
};

std::string sort_key(int group, size_t rank) {
  std::string n = std::to_string(rank);
  return std::to_string(group) + std::string(n.size() < 8 ? 8 - n.size() : 0, '0') + n;
}

protocol::CompletionItem item(Session& session, const EnvironmentState& env,
                              const RevisionSlot& slot, const protocol::Range& replace_range,
                              const Candidate& c, size_t rank) {
  const Script& script = script_of_revision(env, c.revision);
  const std::string summary = revision_summary(env, c.revision);
  const std::string& id = env.graph.revisions[c.revision].id;
  std::string detail = summary;
  if (c.group == 0) detail = "head" + std::string(summary.empty() ? "" : " · ") + summary;
  if (c.group == 2) detail = "branch label of " + id + (summary.empty() ? "" : ": " + summary);
  const std::string text = slot.in_string ? c.name : slot.quote + c.name + slot.quote;
  protocol::CompletionItem out;
  out.label = c.name;
  // A revision id is a Value, a branch label a Reference.
  out.kind =
      c.group == 2 ? protocol::CompletionItemKind::Reference : protocol::CompletionItemKind::Value;
  out.detail = detail;
  out.documentation = display_path(session, script.path);
  out.sort_text = sort_key(c.group, rank);
  out.text_edit = {replace_range, text, std::nullopt};
  // A match through the message would be dropped by a client filtering on the label:
  // filter on what was typed instead, so it stays.
  if (c.match == RevisionMatch::MessageWords) out.filter_text = slot.prefix;
  if (c.group == 0) out.preselect = rank == 0;
  return out;
}

std::optional<protocol::CompletionList> completion(
    Session& session, const protocol::TextDocumentPositionParams& params) {
  const std::string path = document_path(params.text_document);
  const EnvironmentState* env = session.environment_of(path);
  if (!env) return std::nullopt;
  const long script = env->script_index(path);
  if (script < 0) return std::nullopt;
  const std::string text = session.text_of(path);
  const uint32_t offset = session.offset(path, params.position);
  const Script& own = env->scripts[static_cast<size_t>(script)];
  const std::optional<RevisionSlot> slot = revision_slot_at(text, own.parsed, offset);
  if (!slot) return std::nullopt;

  const GraphAnalysis& graph = env->graph;
  const std::string own_id = revision_id_of(own);
  // Naming itself or anything after it would make a cycle Alembic refuses to load.
  std::unordered_set<std::string> excluded = descendant_ids(graph, own_id);
  excluded.insert(own_id);
  // Nor a name the same assignment already lists (other than the one being typed).
  const AssignedValue& value =
      slot->kind == ReferenceKind::DownRevision ? own.parsed.down_revision : own.parsed.depends_on;
  std::set<std::string> listed;
  for (const StringValue& s : value.strings)
    if (s.range.end_byte < slot->replace_start || s.range.start_byte > slot->replace_end)
      listed.insert(s.text);
  std::vector<Candidate> candidates;
  std::set<std::string> offered;
  auto offer = [&](const std::string& name, size_t revision, int group) {
    if (excluded.count(graph.revisions[revision].id)) return;
    if (listed.count(name) || !offered.insert(name).second) return;
    const RevisionMatch m = match_revision(slot->prefix, name, revision_summary(*env, revision));
    if (m != RevisionMatch::None) candidates.push_back({name, revision, group, m});
  };
  for (const std::string& head : graph.heads)
    if (long index = graph.find(head); index >= 0) offer(head, static_cast<size_t>(index), 0);
  std::vector<std::pair<std::string, size_t>> others;  // by id: a stable, scannable order
  for (const auto& [id, copies] : graph.by_id)
    if (!copies.empty()) others.emplace_back(id, copies.back());
  std::sort(others.begin(), others.end());
  for (const auto& [id, index] : others) offer(id, index, 1);
  if (slot->kind == ReferenceKind::DependsOn) {
    std::vector<std::pair<std::string, size_t>> labels;
    for (size_t i = 0; i < graph.revisions.size(); ++i)
      for (const std::string& label : graph.revisions[i].branch_labels)
        labels.emplace_back(label, i);
    std::sort(labels.begin(), labels.end());
    std::set<std::string> label_names;
    for (const auto& [label, index] : labels)
      if (!offered.count(label) && !listed.count(label) &&
          !excluded.count(graph.revisions[index].id) && label_names.insert(label).second) {
        const RevisionMatch m = match_revision(slot->prefix, label, revision_summary(*env, index));
        if (m != RevisionMatch::None) candidates.push_back({label, index, 2, m});
      }
  }

  const protocol::Range range =
      session.line_index(path).range_of({slot->replace_start, slot->replace_end}, session.encoding);
  if (candidates.size() > kMaxItems) candidates.resize(kMaxItems);
  protocol::CompletionList list;
  // Message words are matched here, not by the client: ask again as the user types.
  list.is_incomplete = true;
  for (size_t i = 0; i < candidates.size(); ++i)
    list.items.push_back(item(session, *env, *slot, range, candidates[i], i));
  return list;
}

}  // namespace

void register_completion(Session& session) {
  on_request<protocol::TextDocumentPositionParams>(session, "textDocument/completion", completion);
}

}  // namespace alembic::server
