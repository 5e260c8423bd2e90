// textDocument/hover: what the revision under the cursor is (message, file, date,
// parents, children, head/base/branch point/merge point, branch labels, distance from
// base, who added its file in git), or why it is missing (and what git history says
// about it). Every fact comes from analysis/references.h and the git lookups the server
// runs in the background (server/history_lookups.h); this file only writes it as
// markdown, or plain text for clients that lack markdown.
#include <algorithm>

#include "analysis/findings.h"
#include "analysis/operations.h"
#include "protocol/lsp_language.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/revision_items.h"
#include "server/history_lookups.h"

namespace alembic::server {

namespace {

constexpr size_t kMaxListed = 20;  // a branch point may have hundreds of children

class HoverWriter {
 public:
  explicit HoverWriter(bool markdown) : markdown_(markdown) {}

  std::string code(const std::string& text) const {
    if (!markdown_) return text;
    const std::string fence = text.find('`') == std::string::npos ? "`" : "``";
    return fence + (fence.size() > 1 ? " " + text + " " : text) + fence;
  }

  std::string plain(const std::string& text) const {
    if (!markdown_) return text;
    std::string out;
    for (char c : text) {
      if (std::string_view("\\`*_{}[]<>#|~").find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
    return out;
  }

  std::string strong(const std::string& already_formatted) const {
    return markdown_ ? "**" + already_formatted + "**" : already_formatted;
  }

  std::string ids(const std::vector<std::string>& list) const {
    std::string out;
    for (size_t i = 0; i < list.size() && i < kMaxListed; ++i)
      out += (i ? ", " : "") + code(list[i]);
    if (list.size() > kMaxListed)
      out += ", ... (" + std::to_string(list.size() - kMaxListed) + " more)";
    return out;
  }

  void paragraph(const std::string& formatted) {
    flush_facts();
    blocks_.push_back(formatted);
  }

  void fact(const std::string& label, const std::string& formatted_value) {
    facts_.push_back(markdown_ ? "- **" + label + ":** " + formatted_value
                               : label + ": " + formatted_value);
  }

  std::string text() {
    flush_facts();
    std::string out;
    for (const std::string& b : blocks_) out += (out.empty() ? "" : "\n\n") + b;
    return out;
  }

  bool markdown() const { return markdown_; }

 private:
  // Consecutive facts form one list block.
  void flush_facts() {
    if (facts_.empty()) return;
    std::string list;
    for (const std::string& f : facts_) list += (list.empty() ? "" : "\n") + f;
    blocks_.push_back(list);
    facts_.clear();
  }

  bool markdown_;
  std::vector<std::string> blocks_;
  std::vector<std::string> facts_;
};

// "Ann on 2024-02-01 in commit `1a2b3c4d5e` ("Initial migrations")", or why there is none.
void added_fact(HoverWriter& w, Session& session, const EnvironmentState& env,
                const std::string& path) {
  const HistoryLookups::Added added = session.history().added(env, path);
  using State = HistoryLookups::Added::State;
  switch (added.state) {
    case State::Unavailable:
      return;
    case State::Pending:
      w.fact("Added", w.plain("looking up git history..."));
      return;
    case State::Uncommitted:
      w.fact("Added", w.plain("not committed yet"));
      return;
    case State::Known: {
      const history::Commit& c = added.commit;
      std::string text = w.plain(c.author) + " on " + w.plain(c.day()) + " in commit " +
                         w.code(c.short_id()) + " (" + w.plain("\"" + c.subject + "\"") + ")";
      if (added.shallow) text += w.plain(" (or earlier: a shallow clone)");
      w.fact("Added", text);
      return;
    }
  }
}

std::string roles_of(const RevisionFacts& f) {
  std::vector<std::string> roles;
  if (f.head) roles.push_back(f.effective_head ? "head (effective: a depends_on target)" : "head");
  if (f.base) roles.push_back("base");
  if (f.branch_point) roles.push_back("branch point");
  if (f.merge_point) roles.push_back("merge point");
  std::string out;
  for (const std::string& r : roles) out += (out.empty() ? "" : " · ") + r;
  return out;
}

// What upgrade() and downgrade() do to the schema, read from the file's current text only
// now (analysis/operations.h): the graph analysis never reads the function bodies.
void operations_facts(HoverWriter& w, const std::string& source) {
  const MigrationOperations ops = read_operations(source);
  auto fact = [&](const char* label, const FunctionOperations& f) {
    if (f.body == BodyKind::Missing) return;
    std::string text;
    if (!f.operations.empty())
      text = describe_all(f.operations);
    else if (!f.complete())
      text = "";  // said below
    else if (f.body == BodyKind::Raises)
      text = "raises (no operations)";
    else
      text = f.body == BodyKind::Empty ? "empty" : "no schema operations";
    // Statements no part of a large file could hold (analysis/operations_parts.h).
    if (!f.complete()) text += (text.empty() ? "" : "; ") + describe_unread(f.unread);
    w.fact(label, w.plain(text));
  };
  fact("Upgrade", ops.upgrade);
  fact("Downgrade", ops.downgrade);
}

// Facts of one revision, introduced by what the hovered name is.
void describe(HoverWriter& w, Session& session, const EnvironmentState& env,
              const RevisionReference& ref, size_t index, size_t candidates) {
  const RevisionFacts f = revision_facts(env.graph, index);
  const Script& script = env.scripts[env.graph.revisions[index].script];
  const DocstringHeader& doc = script.parsed.docstring;

  std::string title = w.strong(w.code(f.id));
  if (!doc.message.empty()) title += " — " + w.plain(doc.message.substr(0, doc.message.find('\n')));
  w.paragraph(title);
  if (ref.text != f.id)  // reached through a branch label
    w.paragraph("Branch label " + w.code(ref.text) + " of revision " + w.code(f.id) +
                (candidates > 1 ? " (the label is declared " + std::to_string(candidates) +
                                      " times; Alembic rejects that)"
                                : ""));
  const std::string roles = roles_of(f);
  if (!roles.empty()) w.paragraph(w.markdown() ? "*" + roles + "*" : roles);

  w.fact("File", w.code(display_path(session, script.path)));
  if (doc.create_date) w.fact("Created", w.plain(doc.create_date->text));
  added_fact(w, session, env, script.path);
  w.fact("Parents", f.parents.empty() ? std::string("none") : w.ids(f.parents));
  w.fact("Children", f.children.empty() ? std::string("none") : w.ids(f.children));
  if (!f.depends_on.empty()) w.fact("Depends on", w.ids(f.depends_on));
  if (!f.dependents.empty()) w.fact("Depended on by", w.ids(f.dependents));
  if (!f.branch_labels.empty()) {
    std::string labels = w.ids(f.branch_labels);
    if (f.own_labels.empty()) labels += " (inherited)";
    w.fact("Branch labels", labels);
  }
  w.fact("Distance from base", f.distance ? std::to_string(f.distance->steps) +
                                                " (fewest down_revision steps to " +
                                                w.code(f.distance->base) + ")"
                                          : std::string("no base reachable"));
  operations_facts(w, session.text_of(script.path));
  if (f.definitions > 1)
    w.paragraph("Defined in " + std::to_string(f.definitions) +
                " files; Alembic keeps only the last loaded" +
                (f.kept ? std::string(" (this one)") : std::string(", not this one")) + ".");
}

void describe_missing(HoverWriter& w, Session& session, const Cursor& cursor) {
  const RevisionReference& ref = *cursor.reference;
  const bool docstring =
      ref.kind == ReferenceKind::DocstringRevises || ref.kind == ReferenceKind::DocstringRevisionId;
  std::string head = w.strong(w.code(ref.text)) + " is ";
  if (ref.kind == ReferenceKind::DependsOn)
    head += "neither a revision id nor a branch label of this environment";
  else
    head += "not a revision of this environment";
  w.paragraph(head);
  if (docstring) {
    w.paragraph("The docstring's " + std::string(reference_kind_name(ref.kind)) +
                ": line is only a comment for Alembic, which reads the variables.");
  } else if (ref.kind == ReferenceKind::DownRevision || ref.kind == ReferenceKind::DependsOn) {
    w.paragraph("Alembic fails with KeyError: " + w.plain(alembic::quoted(ref.text)) +
                " on every command.");
  }
  const Finding* finding =
      finding_at(cursor.env->graph, cursor.path, ref.range, codes::kMissingRevision);
  if (finding && finding->suggestion)
    w.paragraph("Did you mean " + w.code(*finding->suggestion) + "?");
  if (const history::MissingRevisionHistory* h = session.history().missing(*cursor.env, ref.text))
    w.paragraph("Git history: " + w.plain(history::describe(*h)) + ".");
  else if (!session.history().unavailable(*cursor.env))
    w.paragraph("Git history: " + w.plain("looking up..."));
}

std::optional<protocol::Hover> hover(Session& session,
                                     const protocol::TextDocumentPositionParams& params) {
  const Cursor cursor = cursor_at(session, params);
  if (!cursor.reference) return std::nullopt;
  const RevisionReference& ref = *cursor.reference;
  const GraphAnalysis& graph = cursor.env->graph;
  HoverWriter w(session.client.markdown_hover);

  const std::vector<size_t> targets = resolve_reference(graph, ref);
  if (targets.empty()) {
    describe_missing(w, session, cursor);
  } else {
    // The declaration under the cursor is this file's copy; any other name means the
    // copy Alembic keeps (the last loaded).
    size_t chosen = targets.front();
    const long kept = graph.find(graph.revisions[chosen].id);
    for (size_t t : targets) {
      const bool here = static_cast<long>(graph.revisions[t].script) == cursor.script;
      if (ref.kind == ReferenceKind::Revision ? here : static_cast<long>(t) == kept) chosen = t;
    }
    describe(w, session, *cursor.env, ref, chosen, targets.size());
  }
  // Which Alembic the hover's statements are true for, and where that was read.
  w.paragraph("Alembic " + w.plain(cursor.env->settings.alembic.describe()));
  return protocol::Hover{{w.markdown() ? "markdown" : "plaintext", w.text()},
                         session.range(cursor.path, ref.range)};
}

}  // namespace

void register_hover(Session& session) {
  on_request<protocol::TextDocumentPositionParams>(session, "textDocument/hover", hover);
}

}  // namespace alembic::server
