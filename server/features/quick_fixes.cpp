// Quick fixes for every finding about a migration file (see quick_fixes.h). The edits
// come from analysis (quick_fix_plan.h, rename_plan.h, rebase_plan.h); this file picks
// them for each finding, titles them, and wraps them as CodeActions.
#include "server/features/quick_fixes.h"

#include <algorithm>
#include <array>

#include "analysis/conflict_resolution.h"
#include "analysis/finding_rules.h"
#include "analysis/findings.h"
#include "analysis/operation_findings.h"
#include "analysis/operation_fixes.h"
#include "analysis/operations.h"
#include "analysis/quick_fix_plan.h"
#include "analysis/rebase_plan.h"
#include "analysis/rename_plan.h"
#include "platform/path_text.h"

namespace alembic::server {

namespace {

// One diagnostic to fix, with what the server knows about its file.
struct Target {
  Session& session;
  const EnvironmentState& env;
  const Finding& finding;
  size_t script;
  const protocol::ClientDiagnostic& diagnostic;
  std::string source;  ///< the file's current text
  std::vector<protocol::CodeAction>& actions;

  const Script& file() const { return env.scripts[script]; }
  const std::string& path() const { return file().path; }
  long revision() const { return revision_of_script(env.graph, script); }
  void add(const std::string& title, const EditPlan& plan, bool preferred,
           const std::optional<EditAnnotation>& note = std::nullopt) {
    if (plan.edits.empty() && plan.renames.empty()) return;
    // Two diagnostics on one spot (unexpected-base and empty-down-revision on `''`)
    // would otherwise list the same fix twice.
    for (const protocol::CodeAction& a : actions)
      if (a.title == title) return;
    actions.push_back(quick_fix_action(session, title, plan, diagnostic, preferred, note));
  }
  TextReader reader() const {
    return [this](const std::string& p) { return session.text_of(p); };
  }
};

EditPlan single(TextEdit edit) {
  EditPlan plan;
  plan.edits.push_back(std::move(edit));
  return plan;
}

// Heads the file's revision can take as its parent (every head when it has no id).
std::vector<std::string> heads_for(const Target& t) {
  const long rev = t.revision();
  if (rev >= 0) return attachable_heads(t.env.graph, static_cast<size_t>(rev));
  std::vector<std::string> heads;
  for (const std::string& h : t.env.graph.heads)
    if (std::find(heads.begin(), heads.end(), h) == heads.end()) heads.push_back(h);
  return heads;
}

void offer_heads_as_parent(Target& t, const std::string& title = "Set down_revision to head",
                           bool may_prefer = true) {
  const std::vector<std::string> heads = heads_for(t);
  for (const std::string& head : heads) {
    std::string why;
    if (std::optional<EditPlan> plan = plan_set_down_revision(t.file(), t.source, {head}, &why))
      t.add(title + " '" + head + "'", *plan, may_prefer && heads.size() == 1);
  }
}

void fix_conflict_markers(Target& t) {
  const std::optional<ConflictBlock> block =
      conflict_block_at(t.source, t.finding.location.range.start_byte);
  if (!block) return;
  auto side = [](const std::string& name, const char* fallback) {
    return name.empty() ? std::string(fallback) : "'" + name + "'";
  };
  t.add("Resolve the conflict: keep " + side(block->ours_name, "our side"),
        single(keep_side(t.path(), *block, true)), false);
  t.add("Resolve the conflict: keep " + side(block->theirs_name, "their side"),
        single(keep_side(t.path(), *block, false)), false);
}

// A helper module in the versions directory: next to the configuration, where
// `prepend_sys_path = .` (Alembic's default) still lets migrations import it.
void fix_not_a_migration(Target& t) {
  const ClientSupport& client = t.session.client;
  if (!client.document_changes || !client.rename_files) return;
  const Environment& env = t.env.environment;
  const fs::path dir =
      env.config_path ? env.config_path->parent_path() : env.script_location.parent_path();
  if (dir.empty()) return;
  const fs::path to = dir / platform::utf8_path(t.path()).filename();
  std::error_code ec;
  if (fs::exists(fs::symlink_status(to, ec)) || t.session.is_open(to.string())) return;
  EditPlan plan;
  plan.renames.push_back({t.path(), to.string()});
  t.add("Move " + platform::utf8_path(t.path()).filename().string() +
            " out of the versions directory, to " + dir.string(),
        plan, true);
}

void fix_missing_revision(Target& t) {
  const StringValue* value = reference_value_at(t.file(), t.finding.location.range);
  if (!value) return;
  const bool in_down = std::any_of(t.file().parsed.down_revision.strings.begin(),
                                   t.file().parsed.down_revision.strings.end(),
                                   [&](const StringValue& s) { return &s == value; });
  const char* field = in_down ? "down_revision" : "depends_on";
  if (t.finding.suggestion) {
    if (auto edit = replace_string(t.path(), t.source, *value, *t.finding.suggestion))
      t.add("Replace '" + value->text + "' with '" + *t.finding.suggestion + "'", single(*edit),
            true);
    return;
  }
  if (!in_down) {  // depends_on only orders; dropping a name that resolves to nothing is safe
    std::string why;
    if (auto plan =
            plan_remove_element(t.file(), t.file().parsed.depends_on, t.source, value->range, &why))
      t.add("Remove '" + value->text + "' from depends_on", *plan, false);
  }
  const std::vector<std::string> heads = heads_for(t);
  for (const std::string& head : heads)
    if (auto edit = replace_string(t.path(), t.source, *value, head))
      t.add(std::string("Point ") + field + " at head '" + head + "' instead of '" + value->text +
                "'",
            single(*edit), heads.size() == 1);
}

void fix_unexpected_base(Target& t) {
  std::string why;
  const std::vector<std::string> heads = depends_on_heads(t.env.graph, t.file());
  if (!heads.empty()) {
    if (std::optional<EditPlan> plan = plan_orphaned_merge(t.env.graph, t.file(), t.source, &why)) {
      std::string listed;
      for (const std::string& h : heads) listed += (listed.empty() ? "" : ", ") + h;
      t.add("Make this a merge of " + listed + " (move them from depends_on to down_revision)",
            *plan, true);
    }
    return;
  }
  offer_heads_as_parent(t);
}

void fix_empty_down_revision(Target& t) {
  offer_heads_as_parent(t);
  std::string why;
  if (std::optional<EditPlan> plan = plan_set_down_revision(t.file(), t.source, {}, &why))
    t.add("Write down_revision = None (a base)", *plan, false);
}

// The id a duplicate should take: the hex id its own file name starts with when free
// (the file was copied and renamed, its `revision` left as it was), else a fresh one.
std::pair<std::string, bool> new_id_for_copy(const Target& t) {
  const std::string_view name = file_name_of(t.path());
  const size_t cut = name.find_first_of("_.");
  const std::string stem(name.substr(0, cut));
  const bool hex =
      stem.size() >= 4 && stem.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (hex && revision_id_problem(t.env.graph, stem).empty()) return {stem, true};
  return {fresh_revision_id(t.env.graph), false};
}

void fix_duplicate(Target& t) {
  if (t.finding.revisions.empty()) return;
  const std::string& old_id = t.finding.revisions.front();
  const auto [new_id, from_name] = new_id_for_copy(t);
  std::string why;
  std::optional<EditPlan> plan = plan_new_id_for_script(t.file(), new_id, t.source, &why);
  if (!plan) return;
  const bool named_after_old = renamed_path(t.path(), old_id, new_id).has_value();
  const ClientSupport& client = t.session.client;
  if (!from_name && named_after_old && client.document_changes && client.rename_files)
    plan->renames.push_back({t.path(), *renamed_path(t.path(), old_id, new_id)});
  t.add("Give this migration its own revision id '" + new_id + "'" +
            (from_name ? " (from its file name)" : ""),
        *plan, !named_after_old);
}

void fix_invalid_id(Target& t) {
  const AssignedValue& rev = t.file().parsed.revision;
  if (rev.strings.size() != 1 || rev.is_sequence) return;
  const std::string& old_id = rev.strings[0].text;
  std::string new_id = valid_id_like(t.env.graph, old_id);
  if (new_id.empty()) new_id = fresh_revision_id(t.env.graph);
  std::string why;
  std::optional<EditPlan> plan =
      plan_rename(t.env.graph, t.env.scripts, old_id, new_id, t.reader(), &why);
  if (!plan) return;
  if (drops_renames(t.session, *plan)) plan->renames.clear();
  t.add("Rename revision '" + old_id + "' to '" + new_id + "'", *plan, true);
}

void fix_missing_down_revision(Target& t) {
  if (std::optional<TextEdit> typo = misspelled_down_revision(t.path(), t.source)) {
    const std::string wrong = t.source.substr(typo->start, typo->end - typo->start);
    t.add("Rename `" + wrong + "` to `down_revision`", single(*typo), true);
    return;
  }
  const AssignedValue& rev = t.file().parsed.revision;
  if (!rev.present) return;
  const char quote = quote_style(t.source, t.file().parsed);
  const std::vector<std::string> heads = heads_for(t);
  for (const std::string& head : heads)
    t.add("Add down_revision = '" + head + "'",
          single({t.path(), rev.value_range.end_byte, rev.value_range.end_byte,
                  "\ndown_revision = " + python_ids({head}, quote)}),
          heads.size() == 1);
}

void fix_label_conflict(Target& t) {
  std::string why;
  const SourceRange& label = t.finding.location.range;
  std::optional<EditPlan> plan =
      plan_remove_element(t.file(), t.file().parsed.branch_labels, t.source, label, &why);
  if (!plan) return;
  const std::string text = t.source.substr(label.start_byte, label.end_byte - label.start_byte);
  t.add("Remove branch label " + text + " from this revision", *plan, false);
}

// As sent (the project's settings may have changed the severity): an informational
// multiple-heads describes an intended layout, where neither merge nor rebase is the fix.
bool is_informational(const protocol::ClientDiagnostic& d) {
  return d.severity && *d.severity > static_cast<int>(Severity::Warning);
}

bool is_ours(const protocol::ClientDiagnostic& d) {
  return d.is_object && d.code && d.range && (!d.source || *d.source == "alembic");
}

void fix_header(Target& t) {
  t.add("Rewrite the docstring header from the code", plan_header_rewrite(t.file(), t.source),
        true);
}

void fix_cycle(Target& t) {
  offer_heads_as_parent(t, "Break the cycle: set down_revision to head", false);
}

void fix_multiple_heads(Target& t) {
  if (is_informational(t.diagnostic)) return;
  for (protocol::CodeAction& a : rebase_actions(t.session, t.env, t.script, t.diagnostic))
    t.actions.push_back(std::move(a));
}

// The operation a finding of operation_findings.h sits on (its call's range), if any.
std::optional<Operation> operation_at(const Target& t) {
  const MigrationOperations ops = read_operations(t.source);
  for (const FunctionOperations* f : {&ops.upgrade, &ops.downgrade})
    for (const Operation& op : f->operations)
      if (op.range == t.finding.location.range) return op;
  return std::nullopt;
}

void fix_server_default(Target& t) {
  const std::optional<Operation> op = operation_at(t);
  std::string value;
  if (!op) return;
  if (std::optional<EditPlan> plan = plan_server_default(t.path(), t.source, *op, &value))
    t.add("Add server_default=" + value + " to the column", *plan, true);
}

void fix_concurrent_index(Target& t) {
  const std::optional<Operation> op = operation_at(t);
  if (!op) return;
  if (std::optional<EditPlan> plan = plan_concurrent_index(t.path(), t.source, *op)) {
    const char* verb = op->kind == OpKind::DropIndex ? "Drop" : "Create";
    t.add(op->concurrently == Flag::True
              ? std::string("Move the call into an autocommit_block")
              : std::string(verb) + " the index concurrently, in an autocommit_block",
          *plan, true);
  }
}

void no_fix(Target&) {}

// The planner of each QuickFix of analysis/finding_rules.h, in the enum's order.
constexpr std::array<void (*)(Target&), kQuickFixCount> kPlanners = {
    no_fix,                     // None
    fix_missing_revision,       // PointAtExistingRevision
    fix_unexpected_base,        // ReattachBase
    fix_empty_down_revision,    // ReplaceEmptyDownRevision
    fix_duplicate,              // NewRevisionId
    fix_header,                 // RewriteHeader
    fix_invalid_id,             // RenameRevision
    fix_missing_down_revision,  // AddDownRevision
    fix_label_conflict,         // RemoveBranchLabel
    fix_cycle,                  // BreakCycle
    fix_conflict_markers,       // ResolveConflictMarkers
    fix_not_a_migration,        // MoveOutOfVersions
    fix_multiple_heads,         // RebaseOntoHead
    fix_server_default,         // AddServerDefault
    fix_concurrent_index,       // ConcurrentIndex
    no_fix,                     // RewriteHeadFile: not a migration (head_file_actions.cpp)
};
static_assert(std::none_of(kPlanners.begin(), kPlanners.end(),
                           [](auto planner) { return planner == nullptr; }),
              "every QuickFix needs its planner in kPlanners");

}  // namespace

protocol::CodeAction quick_fix_action(Session& session, const std::string& title,
                                      const EditPlan& plan,
                                      const protocol::ClientDiagnostic& diagnostic, bool preferred,
                                      const std::optional<EditAnnotation>& annotation) {
  protocol::CodeAction action;
  action.title = title;
  action.kind = "quickfix";
  action.diagnostics = {diagnostic.value};
  action.edit = workspace_edit(session, plan, annotation);
  if (preferred) action.is_preferred = true;
  return action;
}

std::vector<protocol::CodeAction> quick_fixes(
    Session& session, const std::string& path,
    const std::vector<protocol::ClientDiagnostic>& diagnostics) {
  std::vector<protocol::CodeAction> actions;
  const EnvironmentState* env = session.environment_of(path);
  if (!env) return actions;
  const long script = env->script_index(path);
  if (script < 0) return actions;
  std::string source = session.text_of(path);
  // The operation findings (read only when a diagnostic may be one of them).
  std::optional<std::vector<Finding>> operation_findings;
  for (const protocol::ClientDiagnostic& d : diagnostics) {
    if (!is_ours(d)) continue;
    const std::string& code = *d.code;
    const std::vector<Finding>* findings = &env->graph.findings;
    const FindingRule* rule = find_rule(code);
    if (rule && (rule->quick_fix == QuickFix::AddServerDefault ||
                 rule->quick_fix == QuickFix::ConcurrentIndex)) {
      if (!operation_findings) {
        LintOptions options;
        options.dialect =
            env->settings.dialect ? *env->settings.dialect : environment_dialect(env->environment);
        operation_findings.emplace();
        add_operation_findings(path, read_operations(source), options, *operation_findings);
      }
      findings = &*operation_findings;
    }
    for (const Finding& f : *findings) {
      if (f.code != code || f.location.path != path ||
          session.range(path, f.location.range) != *d.range)
        continue;
      Target t{session, *env, f, static_cast<size_t>(script), d, source, actions};
      if (rule) kPlanners[static_cast<size_t>(rule->quick_fix)](t);
      break;  // one finding per diagnostic
    }
  }
  return actions;
}

}  // namespace alembic::server
