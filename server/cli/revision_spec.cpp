// Resolving a revision as Alembic's RevisionMap.get_revisions does (moved here from
// merge.cpp, shared with `revision`).
#include "server/cli/revision_spec.h"

#include <algorithm>

#include "analysis/findings.h"
#include "server/cli/args.h"

namespace alembic::cli {

namespace {

bool has_label(const Revision& r, const std::string& label) {
  for (const auto& l : r.effective_labels)
    if (l == label) return true;
  return false;
}

// The heads carrying `label` (Alembic's filter_for_lineage over heads).
std::vector<std::string> heads_with_label(const GraphAnalysis& g, const std::string& label) {
  std::vector<std::string> out;
  for (const auto& id : g.heads) {
    const long i = g.find(id);
    if (i >= 0 && has_label(g.revisions[static_cast<size_t>(i)], label)) out.push_back(id);
  }
  return out;
}

}  // namespace

std::vector<std::string> resolve_revision_spec(const GraphAnalysis& g, const std::string& arg) {
  if (arg == "heads") return g.real_heads;
  if (arg == "head") {
    if (g.heads.size() > 1)
      throw UsageError(
          "Multiple head revisions are present for given argument 'head'; please "
          "specify a specific target revision, '<branchname>@head' to narrow to a "
          "specific head, or 'heads' for all heads");
    return g.heads;
  }
  if (const size_t at = arg.find('@'); at != std::string::npos) {
    const std::string label = arg.substr(0, at), what = arg.substr(at + 1);
    if (what != "head" && what != "heads")
      throw UsageError("unsupported revision '" + arg + "' (use LABEL@head or LABEL@heads)");
    std::vector<std::string> found = heads_with_label(g, label);
    if (found.empty()) throw UsageError("No such revision or branch '" + label + "'");
    if (what == "head" && found.size() > 1)
      throw UsageError("Multiple head revisions are present for given argument '" + arg + "'");
    return found;
  }
  if (g.find(arg) >= 0) return {arg};
  for (const auto& r : g.revisions)
    for (const auto& l : r.branch_labels)
      if (l == arg) return {r.id};
  // Partial ids: every id and label longer than three characters that starts with it.
  std::vector<std::string> matches;
  for (const auto& [id, copies] : g.by_id)
    if (id.size() > 3 && id.starts_with(arg)) matches.push_back(id);
  for (const auto& r : g.revisions)
    for (const auto& l : r.branch_labels)
      if (l.size() > 3 && l.starts_with(arg)) matches.push_back(r.id);
  std::sort(matches.begin(), matches.end());
  matches.erase(std::unique(matches.begin(), matches.end()), matches.end());
  if (matches.empty())
    throw UsageError("No such revision or branch '" + arg + "'" +
                     (arg.size() < 4 ? "; please ensure at least four characters are present "
                                       "for partial revision identifier matches"
                                     : ""));
  if (matches.size() > 1) {
    std::string listed;
    for (size_t k = 0; k < matches.size() && k < 3; ++k)
      listed += (k ? ", '" : "'") + matches[k] + "'";
    throw UsageError("Multiple revisions start with '" + arg + "': " + listed + "...");
  }
  return matches;
}

void check_rev_id(const GraphAnalysis& g, const std::string& id) {
  if (id.empty()) throw UsageError("--rev-id needs a non-empty revision id");
  std::string bad;
  for (char c : kIllegalRevisionChars)
    if (id.find(c) != std::string::npos) bad += (bad.empty() ? "" : ", ") + std::string(1, c);
  if (!bad.empty())
    throw UsageError("Character(s) '" + bad + "' not allowed in revision identifier '" + id + "'");
  if (g.find(id) >= 0) throw UsageError("revision id '" + id + "' is already used in this history");
}

}  // namespace alembic::cli
