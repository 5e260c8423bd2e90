// "Rebase this branch onto <other head>": beside the merge, the linear alternative many
// teams prefer and Alembic itself never offers. The first revisions of this head's
// branch move from the fork point onto the other head. Title and change annotation warn
// that this is only safe while the branch has not been applied to any database.
#include <spdlog/spdlog.h>

#include "analysis/quick_fix_plan.h"
#include "analysis/rebase_plan.h"
#include "server/features/head_file_edit.h"
#include "server/features/quick_fixes.h"

namespace alembic::server {

std::vector<protocol::CodeAction> rebase_actions(Session& session, const EnvironmentState& env,
                                                 size_t script,
                                                 const protocol::ClientDiagnostic& diagnostic) {
  std::vector<protocol::CodeAction> actions;
  const GraphAnalysis& graph = env.graph;
  const long head = revision_of_script(graph, script);
  if (head < 0) return actions;
  const TextReader read = [&session](const std::string& path) { return session.text_of(path); };
  std::vector<std::string> done;
  for (const std::string& other : graph.heads) {
    if (other == graph.revisions[static_cast<size_t>(head)].id ||
        std::find(done.begin(), done.end(), other) != done.end())
      continue;
    done.push_back(other);
    std::string why;
    const std::optional<RebasePlan> plan =
        plan_rebase(graph, env.scripts, static_cast<size_t>(head), other, read, &why);
    if (!plan) {
      spdlog::info("no rebase of {} onto {}: {}", graph.revisions[static_cast<size_t>(head)].id,
                   other, why);
      continue;
    }
    std::string moved;
    for (const std::string& id : plan->moved) moved += (moved.empty() ? "" : ", ") + id;
    EditAnnotation note;
    note.id = "alembic.rebaseBranch";
    note.label = "Rebase " + plan->head + "'s branch onto " + other;
    note.description = "Re-points " + moved + " from the fork point to " + other +
                       ". Only safe while no database has applied any of " +
                       std::to_string(plan->branch.size()) + " revision(s) of this branch (" +
                       plan->head +
                       " and its ancestors since the fork): a database that did "
                       "would skip " +
                       other + "'s history on the next upgrade.";
    const std::string title =
        "Rebase this branch onto " + other + " (only if it was never applied to a database)";
    protocol::CodeAction action =
        quick_fix_action(session, title, plan->plan, diagnostic, false, note);
    // `other` stops being a head: the head file says so in the same edit.
    std::vector<std::string> heads_after;
    for (const std::string& h : graph.heads)
      if (h != other) heads_after.push_back(h);
    if (action.edit) add_head_file_edit(session, env, heads_after, *action.edit);
    actions.push_back(std::move(action));
  }
  return actions;
}

}  // namespace alembic::server
