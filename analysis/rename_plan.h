// Renaming a revision id everywhere Alembic (and a reader) looks for it: the `revision`
// string, its docstring `Revision ID:`, each child's down_revision, each dependent's
// depends_on, each docstring `Revises:`, and the file name when it starts with the id.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/graph.h"
#include "analysis/references.h"
#include "analysis/source_edit.h"

namespace alembic {

/// The id a rename at `ref` would rename, or nullopt with `why`: branch labels, names
/// of no revision, and ids defined by several files (a duplicate: use the
/// duplicate-revision fix) cannot be renamed.
std::optional<std::string> renamable_id(const GraphAnalysis& graph, const RevisionReference& ref,
                                        std::string* why);

/// The edits renaming `old_id` to `new_id` in `scripts` (the vector `graph` was built
/// from). nullopt with `why` when new_id is not a valid new id (revision_id_problem),
/// old_id cannot be renamed, or a place naming it is not a plain string literal (a name
/// bound elsewhere, escapes) so it cannot be edited safely.
std::optional<EditPlan> plan_rename(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                                    const std::string& old_id, const std::string& new_id,
                                    const TextReader& read, std::string* why);

/// Edits giving one script a new id on its own: its `revision` string and its docstring
/// `Revision ID:` (children are left alone; for a duplicated id they keep naming the
/// other copy). nullopt with `why` when the revision is not a plain literal.
std::optional<EditPlan> plan_new_id_for_script(const Script& script, const std::string& new_id,
                                               std::string_view source, std::string* why);

/// The file name `path` would take for `new_id` when its name starts with `old_id`
/// followed by '_', '.' or nothing else; nullopt otherwise.
std::optional<std::string> renamed_path(const std::string& path, const std::string& old_id,
                                        const std::string& new_id);
/// The same where `name` is the file name ending `path` (file_name_of(path, windows) in
/// tests of the other system's paths; after '/', or also a backslash on Windows).
std::optional<std::string> renamed_path(const std::string& path, const std::string& old_id,
                                        const std::string& new_id, std::string_view name);

}  // namespace alembic
