// Planning `alembic revision -m MSG` (alembic/command.py revision and script/base.py
// generate_revision of Alembic 1.8.1, 1.13.2 and 1.18.4, which agree on everything here)
// for the case without a revision_environment: no env.py runs, the template gets no
// imports/upgrades/downgrades.
#include "analysis/revision_plan.h"

#include "analysis/merge.h"
#include "analysis/revision_search.h"

namespace alembic {

namespace fs = std::filesystem;

namespace {

// The head a new migration builds on, or nullopt (a new root) when the history is empty
// or the caller asked for "base". Fails when the choice is needed but missing or wrong.
bool choose_parent(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                   const RevisionOptions& options, std::optional<std::string>& parent,
                   std::string& why) {
  if (!options.head) {
    std::vector<std::string> heads = merge_parents(graph);
    if (heads.size() > 1) {
      why = "the history has " + std::to_string(heads.size()) + " heads (" +
            describe_heads(graph, scripts) +
            "); choose the one the new migration builds on (--head), or merge them first";
      return false;
    }
    if (!heads.empty()) parent = heads.front();
    return true;
  }
  if (*options.head == "base") return true;
  const long index = graph.find(*options.head);
  if (index < 0) {
    why = "no revision '" + *options.head + "' in this history";
    return false;
  }
  const Revision& r = graph.revisions[static_cast<size_t>(index)];
  if (!r.children.empty()) {
    why = "revision " + r.id +
          " is not a head revision (Alembic: \"please specify --splice to create a new branch "
          "from this revision\", which alembic-lsp does not do); the heads are " +
          describe_heads(graph, scripts);
    return false;
  }
  parent = r.id;
  return true;
}

}  // namespace

std::string describe_heads(const GraphAnalysis& graph, const std::vector<Script>& scripts) {
  std::string out;
  for (const std::string& id : merge_parents(graph)) {
    if (!out.empty()) out += ", ";
    out += id;
    const long index = graph.find(id);
    if (index < 0) continue;
    const size_t script = graph.revisions[static_cast<size_t>(index)].script;
    if (script >= scripts.size()) continue;
    const std::string summary = message_summary(scripts[script].parsed.docstring.message, 60);
    if (!summary.empty()) out += " (" + summary + ")";
  }
  return out.empty() ? "none" : out;
}

std::optional<RevisionPlan> plan_revision(const Environment& env,
                                          const std::vector<Script>& scripts,
                                          const GraphAnalysis& graph,
                                          std::optional<std::string_view> project_template,
                                          const RevisionOptions& options, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<RevisionPlan> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  RevisionPlan plan;
  std::string reason;
  if (!choose_parent(graph, scripts, options, plan.parent, reason)) return fail(reason);

  if (options.branch_label) {
    const std::string& label = *options.branch_label;
    if (label.empty()) return fail("the branch label is empty");
    for (const Revision& r : graph.revisions)
      for (const std::string& own : r.branch_labels)
        if (own == label)
          return fail("branch label '" + label + "' is already used by revision " + r.id);
    if (graph.find(label) >= 0) return fail("branch label '" + label + "' is the id of a revision");
  }

  std::vector<std::string> parents;
  if (plan.parent) parents.push_back(*plan.parent);
  std::optional<fs::path> dir = merge_directory(env, scripts, graph, parents);
  if (!dir)
    return fail(
        "no version location to write the migration to (Alembic: \"Multiple version "
        "locations present, please specify --version-path\")");
  plan.directory = *dir;

  std::optional<NewMigrationFile> file = place_new_migration(
      env, graph, plan.directory, options.message.value_or(""), options.place, why);
  if (!file) return std::nullopt;
  plan.revision = std::move(file->revision);
  plan.path = std::move(file->path);

  MergeScript script;
  script.message = options.message.value_or("");
  script.keep_empty_message = options.message.has_value();
  script.revision = plan.revision;
  script.parents = parents;
  script.create_date = python_datetime_str(options.place.now);
  if (options.branch_label) script.branch_labels = {*options.branch_label};
  script.depends_on = options.depends_on;
  plan.content = render_merge_script(project_template, script, &plan.template_note);
  return plan;
}

}  // namespace alembic
