// What `alembic merge` writes, without Python: ids, file names, the script body.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alembic {

/// uuid4().hex[-12:] from a random source.
std::string new_revision_id();

/// `"_".join(re.findall(r"\w+", msg)).lower()`, truncated like Alembic
/// (`slug[:n].rsplit("_", 1)[0] + "_"` when longer than n).
std::string make_slug(std::string_view message, int truncate_slug_length = 40);

/// Expands an Alembic file_template (`%%(rev)s_%%(slug)s`, tokens rev, slug, epoch,
/// year, month, day, hour, minute, second) and appends ".py".
std::string render_file_name(std::string_view file_template, std::string_view rev,
                             std::string_view slug, std::chrono::system_clock::time_point when);

struct MergeScript {
  std::string message;               ///< empty: "empty message"
  std::string revision;              ///< new id
  std::vector<std::string> parents;  ///< in Alembic's order
  std::string create_date;           ///< str(datetime.now()) form
  // `alembic revision` also passes these (a merge leaves them empty: None).
  std::vector<std::string> branch_labels;  ///< a tuple: ('label',)
  std::vector<std::string> depends_on;     ///< one: 'id'; several: a list ['a', 'b']
  bool keep_empty_message = false;         ///< `-m ""`: an empty message, not "empty message"
};

/// `str(datetime.now())` for a time point, in local time: "2024-05-01 12:34:56.123456".
std::string python_datetime_str(std::chrono::system_clock::time_point when);

/// Alembic's current default script.py.mako.
std::string_view default_script_template();

/// Renders a script.py.mako (the common subset: ${expr} with repr/comma/n filters,
/// `% if/elif/else/endif`, `<%text>`, `##` comments). Returns std::nullopt and sets
/// `why` when the template uses constructs outside that subset.
std::optional<std::string> render_script_template(std::string_view mako, const MergeScript& script,
                                                  std::string* why = nullptr);

/// Renders with the project's template when possible, else the default one.
std::string render_merge_script(std::optional<std::string_view> project_template,
                                const MergeScript& script);

/// As above; when the project's template could not be used, `fallback_reason` says why
/// (e.g. "script.py.mako line 3: unsupported control line `% for`"), else it is cleared.
std::string render_merge_script(std::optional<std::string_view> project_template,
                                const MergeScript& script, std::string* fallback_reason);

}  // namespace alembic
