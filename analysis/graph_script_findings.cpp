// The part of an analysis that each script yields by itself (add_script_findings):
// kept with each Script between analyses, gathered sorted, and after a one-script edit
// only that script's run replaced.
#include <algorithm>
#include <iterator>

#include "analysis/findings.h"
#include "analysis/graph_internal.h"

namespace alembic::detail {

namespace {

// `part` (every script's own findings, sorted) with the run of the script at `path`
// replaced by `own`. False, with `part` unchanged, when a finding of `own` is about another
// file (the run would not be contiguous).
bool replace_script_run(std::vector<Finding>& part, const std::string& path,
                        const std::vector<Finding>& own) {
  for (const Finding& f : own)
    if (f.location.path != path) return false;
  auto by_path = [](const Finding& f, const std::string& p) { return f.location.path < p; };
  auto lo = std::lower_bound(part.begin(), part.end(), path, by_path);
  auto hi = lo;
  while (hi != part.end() && hi->location.path == path) ++hi;
  std::vector<Finding> run = own;
  std::stable_sort(run.begin(), run.end(), finding_less);
  // Reuse the slots of the old run, then grow or shrink in place.
  const size_t at = static_cast<size_t>(lo - part.begin());
  const size_t old_size = static_cast<size_t>(hi - lo);
  const size_t common = std::min(old_size, run.size());
  for (size_t k = 0; k < common; ++k) part[at + k] = std::move(run[k]);
  if (run.size() > old_size) {
    part.insert(part.begin() + static_cast<std::ptrdiff_t>(at + common),
                std::make_move_iterator(run.begin() + static_cast<std::ptrdiff_t>(common)),
                std::make_move_iterator(run.end()));
  } else {
    part.erase(part.begin() + static_cast<std::ptrdiff_t>(at + common),
               part.begin() + static_cast<std::ptrdiff_t>(at + old_size));
  }
  return true;
}

// The own findings of scripts[i]: kept in (*keep)[i] when `keep` is given (computed there
// first if not kept yet), else computed into `scratch`.
const std::vector<Finding>& own_findings_of(const std::vector<Script>& scripts,
                                            std::vector<Script>* keep, size_t i,
                                            std::vector<Finding>& scratch) {
  if (!keep) {
    scratch.clear();
    add_script_findings(scripts[i], scratch);
    return scratch;
  }
  Script& script = (*keep)[i];
  if (!script.own_findings) add_script_findings(script, script.own_findings.emplace());
  return *script.own_findings;
}

}  // namespace

void collect_script_findings(std::vector<Finding>& part, const std::vector<Script>& scripts,
                             std::vector<Script>* keep, size_t changed) {
  std::vector<Finding> scratch;
  if (changed != kAnyScript && replace_script_run(part, scripts[changed].path,
                                                  own_findings_of(scripts, keep, changed, scratch)))
    return;
  part.clear();
  if (keep) {
    size_t total = 0;
    for (size_t i = 0; i < scripts.size(); ++i)
      total += own_findings_of(scripts, keep, i, scratch).size();
    part.reserve(total);
    for (const Script& script : *keep)
      part.insert(part.end(), script.own_findings->begin(), script.own_findings->end());
  } else {
    for (const Script& script : scripts) add_script_findings(script, part);
  }
  sort_findings(part);
}

}  // namespace alembic::detail
