// The revision graph of one environment, with Alembic's semantics, and its findings.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analysis/model.h"
#include "analysis/shared_strings.h"

namespace alembic {

/// One migration script as loaded: its path and what it says.
struct Script {
  std::string path;  ///< as the caller names it (used verbatim in findings)
  ParsedMigration parsed;
  /// The findings this script yields by itself (add_script_findings in
  /// analysis/findings.h), kept by analyze_into so that the next analysis reuses them.
  /// They depend only on `path` and `parsed`: whoever changes those resets them
  /// (set_parsed does).
  std::optional<std::vector<Finding>> own_findings = std::nullopt;

  /// Replaces what the script says, and forgets the findings kept for the old values.
  void set_parsed(ParsedMigration values) {
    parsed = std::move(values);
    own_findings.reset();
  }
};

/// Settings that tell an intended layout from an accident.
struct AnalysisOptions {
  int expected_heads = -1;  ///< -1: not set
  bool allow_multiple_heads = false;
};

/// A revision as Alembic sees it, after resolution of the parsed values.
struct Revision {
  std::string id;
  size_t script = 0;  ///< index into the scripts vector given to analyze()
  std::vector<std::string> down_revisions;
  std::vector<std::string> depends_on;
  std::vector<std::string> branch_labels;  ///< own labels as written
  /// After Alembic's propagation, sorted. Shared: revisions with the same labels hold
  /// one list (a labelled 100,000-revision history repeats a few hundred lists).
  SharedStrings effective_labels;
  std::vector<std::string> children;    ///< through down_revision, load order
  std::vector<std::string> dependents;  ///< revisions naming this one in depends_on
};

namespace detail {
struct Memo;
}

/// The working state of the last analysis, which analyze_into reuses when told which
/// one script changed. Copies start empty (the state refers to its own analysis).
class AnalysisMemo {
 public:
  AnalysisMemo();
  ~AnalysisMemo();
  AnalysisMemo(const AnalysisMemo&);
  AnalysisMemo(AnalysisMemo&&) noexcept;
  AnalysisMemo& operator=(const AnalysisMemo&);
  AnalysisMemo& operator=(AnalysisMemo&&) noexcept;
  std::unique_ptr<detail::Memo> state;
  /// Whether the last analyze_into took the one-script path (for tests and profiling).
  bool last_was_update = false;
  /// After the one-script path: the indexes into `revisions` whose own values
  /// (down_revisions, depends_on, the script's other parsed values) or children /
  /// dependents lists changed, sorted. Every other revision's Revision fields
  /// (effective_labels aside) are as before. Empty otherwise.
  std::vector<size_t> touched;
};

/// Everything known about one environment's history.
struct GraphAnalysis {
  std::vector<Revision> revisions;  ///< load order; a duplicated id appears once per file
  std::vector<std::string>
      heads;  ///< nobody's down_revision (what `alembic heads` prints), load order
  std::vector<std::string> real_heads;  ///< also nobody's depends_on target, load order
  std::vector<std::string> bases;       ///< empty down_revision, load order
  std::map<std::string, std::vector<std::string>> branch_points;  ///< id -> children (sorted)
  std::vector<std::string> merge_points;                          ///< sorted
  std::vector<Finding> findings;  ///< sorted by path, then position, then code
  /// Parallel to `heads` / `bases`: the index into `revisions` of each entry, which tells
  /// the copies of a duplicated id apart (find() only knows the last loaded one).
  std::vector<size_t> head_indexes;
  std::vector<size_t> base_indexes;

  /// Index of the (last loaded) revision with this id in `revisions`, or -1.
  long find(const std::string& id) const;
  /// Every script index that defines this id (more than one for duplicates).
  std::vector<size_t> definitions(const std::string& id) const;

  std::unordered_map<std::string, std::vector<size_t>> by_id;  ///< id -> indexes into revisions

  AnalysisMemo memo;  ///< for analyze_into; not part of the result
};

/// Directions of reachable(): down_revision parents, children, or children and
/// dependents (revisions naming it in depends_on).
enum class Walk { Parents, Children, Descendants };

/// Indexes into graph.revisions reachable from `from` in one or more steps: `from`
/// itself only when a cycle leads back to it. Never recursive.
std::vector<bool> reachable(const GraphAnalysis& graph, const std::vector<size_t>& from, Walk walk);

/// The id a script declares (revision string, else the hex file stem as Alembic does),
/// or empty when it has none.
std::string revision_id_of(const Script& script);
/// The same, viewing the script's parsed value or path (valid while the script is).
std::string_view revision_id_view(const Script& script);

/// Builds the graph of one environment from its scripts (in load order) and finds
/// every problem: multiple-heads, missing-revision, duplicate-revision, revision-cycle,
/// unexpected-base, branch-label-conflict, invalid-revision-id, unresolved-value,
/// header-mismatch, syntax-error, not-a-migration (no revision at all).
/// Never recursive: 100,000-long chains and 10,000-member cycles are fine.
/// Everything is computed afresh (Script::own_findings are neither read nor kept).
GraphAnalysis analyze(const std::vector<Script>& scripts, const AnalysisOptions& options = {});

/// The same analysis into an existing one (typically the previous one of the same
/// environment): the result equals analyze(scripts, options), and the storage of `out`
/// is reused, so re-analysing after an edit allocates almost nothing. `by_id` is rebuilt
/// only when the list of revision ids changed. Each script's own findings are taken from
/// Script::own_findings when kept there, else computed and kept there for next time.
///
/// `changed`: when `out` was last filled from this very `scripts` vector (same storage)
/// and since then only scripts[changed].parsed was replaced (set_parsed), pass its index:
/// only that script's own findings are computed again, and an edit that keeps its id and
/// branch labels re-resolves only its references and redoes the whole-graph passes on
/// integers (heads, components, cycles, label propagation) without touching the other
/// revisions' strings. Anything else (or kAnyScript) analyses everything again.
inline constexpr size_t kAnyScript = static_cast<size_t>(-1);
void analyze_into(GraphAnalysis& out, std::vector<Script>& scripts, const AnalysisOptions& options,
                  size_t changed = kAnyScript);

}  // namespace alembic
