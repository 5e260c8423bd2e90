// Finding codes and the findings one migration file yields on its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/graph.h"
#include "analysis/model.h"

namespace alembic {

/// Stable finding codes (what editors and CI configurations match on).
namespace codes {
inline constexpr std::string_view kMultipleHeads = "multiple-heads";
inline constexpr std::string_view kMissingRevision = "missing-revision";
inline constexpr std::string_view kDuplicateRevision = "duplicate-revision";
inline constexpr std::string_view kRevisionCycle = "revision-cycle";
inline constexpr std::string_view kUnexpectedBase = "unexpected-base";
inline constexpr std::string_view kBranchLabelConflict = "branch-label-conflict";
inline constexpr std::string_view kInvalidRevisionId = "invalid-revision-id";
inline constexpr std::string_view kUnresolvedValue = "unresolved-value";
inline constexpr std::string_view kHeaderMismatch = "header-mismatch";
inline constexpr std::string_view kSyntaxError = "syntax-error";
inline constexpr std::string_view kNotAMigration = "not-a-migration";
inline constexpr std::string_view kMissingDownRevision = "missing-down-revision";
inline constexpr std::string_view kEmptyDownRevision = "empty-down-revision";
inline constexpr std::string_view kUnreadMigrations = "unread-migrations";
}  // namespace codes

/// Most revision ids a single finding lists in `revisions`/`related` (and in its message,
/// see join_ids): a 10,000-member cycle must not produce 10,000 x 10,000 entries.
inline constexpr size_t kMaxListedRevisions = 100;

/// Alembic's forbidden characters in a revision id (`:` since Alembic 1.17.1).
inline constexpr std::string_view kIllegalRevisionChars = "@-+:";

/// Orders findings by path, then position, then code (then message), deterministically.
void sort_findings(std::vector<Finding>& findings);

/// "a, b, c", listing at most `limit` ids and then "... (N more)".
std::string join_ids(const std::vector<std::string>& ids, size_t limit = 20);

/// `'x'` quoted the way Alembic's messages quote names.
std::string quoted(std::string_view text);

/// The file name of a path (after the last '/').
std::string_view file_name_of(std::string_view path);

/// Findings a migration file yields by itself, whatever the rest of the history:
/// syntax-error, not-a-migration, missing-down-revision, invalid-revision-id,
/// unresolved-value, empty-down-revision and header-mismatch.
void add_script_findings(const Script& script, std::vector<Finding>& out);

}  // namespace alembic
