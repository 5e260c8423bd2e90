// Finding codes and the findings one migration file yields on its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/finding_rules.h"
#include "analysis/graph.h"
#include "analysis/model.h"

namespace alembic {

/// Stable finding codes (what editors and CI configurations match on), named in
/// analysis/finding_rules.h.
namespace codes {
inline constexpr std::string_view kMultipleHeads = rule_of(Code::MultipleHeads).code;
inline constexpr std::string_view kMissingRevision = rule_of(Code::MissingRevision).code;
inline constexpr std::string_view kDuplicateRevision = rule_of(Code::DuplicateRevision).code;
inline constexpr std::string_view kRevisionCycle = rule_of(Code::RevisionCycle).code;
inline constexpr std::string_view kUnexpectedBase = rule_of(Code::UnexpectedBase).code;
inline constexpr std::string_view kBranchLabelConflict = rule_of(Code::BranchLabelConflict).code;
inline constexpr std::string_view kInvalidRevisionId = rule_of(Code::InvalidRevisionId).code;
inline constexpr std::string_view kUnresolvedValue = rule_of(Code::UnresolvedValue).code;
inline constexpr std::string_view kHeaderMismatch = rule_of(Code::HeaderMismatch).code;
inline constexpr std::string_view kSyntaxError = rule_of(Code::SyntaxError).code;
inline constexpr std::string_view kNotAMigration = rule_of(Code::NotAMigration).code;
inline constexpr std::string_view kMissingDownRevision = rule_of(Code::MissingDownRevision).code;
inline constexpr std::string_view kEmptyDownRevision = rule_of(Code::EmptyDownRevision).code;
inline constexpr std::string_view kUnreadMigrations = rule_of(Code::UnreadMigrations).code;
}  // namespace codes

/// Most revision ids a single finding lists in `revisions`/`related` (and in its message,
/// see join_ids): a 10,000-member cycle must not produce 10,000 x 10,000 entries.
inline constexpr size_t kMaxListedRevisions = 100;

/// Alembic's forbidden characters in a revision id (`:` since Alembic 1.17.1).
inline constexpr std::string_view kIllegalRevisionChars = "@-+:";

/// A finding's first sentence (Finding::message) stays under this many characters, so it
/// fits an editor's Problems panel at a glance (tests/unit/analysis_messages_test.cpp).
inline constexpr size_t kMaxFirstSentence = 100;

/// Most other locations (heads, copies, cycle members) a finding lists in `related`; the
/// rest are summed up in one more entry, "and N more ...".
inline constexpr size_t kMaxRelatedListed = 5;

/// The first sentence and the detail, joined by `separator` (" " for one paragraph, "\n"
/// for the short line above the long form).
std::string full_message(const Finding& finding, std::string_view separator = " ");

/// Sets message and detail from free text ("what; why and fix", as the configuration and
/// file-system problems are worded): the text up to the first "; " becomes the first
/// sentence when that is short enough, the rest the detail; each starts with a capital and
/// ends with a full stop.
void set_message(Finding& finding, std::string_view text);

/// Appends a sentence to the finding's detail.
void add_detail(Finding& finding, std::string_view sentence);

/// A name shown in a first sentence: past `max` characters, its start and end around "...".
std::string brief(std::string_view name, size_t max = 40);

/// `preferred` when it is under kMaxFirstSentence characters, else `fallback`.
std::string fit(std::string preferred, std::string fallback);

/// Appends `others` to finding.related, at most kMaxRelatedListed of them; past that one
/// more entry, on the next one's location, says "and N more `noun`".
void add_related_capped(Finding& finding, std::vector<RelatedLocation> others,
                        std::string_view noun);

/// Orders findings by path, then position, then code (then message), deterministically.
void sort_findings(std::vector<Finding>& findings);
/// The order sort_findings sorts by (stably).
bool finding_less(const Finding& a, const Finding& b);

/// "a, b, c", listing at most `limit` ids and then "... (N more)".
std::string join_ids(const std::vector<std::string>& ids, size_t limit = 20);

/// `'x'` quoted the way Alembic's messages quote names.
std::string quoted(std::string_view text);

/// The file name of a path: after the last '/', or also after the last backslash where
/// `windows_separators` (on POSIX a backslash is part of a file name).
std::string_view file_name_of(std::string_view path, bool windows_separators);
/// The same with this build's separators (Windows: paths come as "C:\a\b.py").
std::string_view file_name_of(std::string_view path);

/// Findings a migration file yields by itself, whatever the rest of the history:
/// syntax-error, not-a-migration, missing-down-revision, invalid-revision-id,
/// unresolved-value, empty-down-revision and header-mismatch.
void add_script_findings(const Script& script, std::vector<Finding>& out);

}  // namespace alembic
