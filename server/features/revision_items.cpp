#include "server/features/revision_items.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "analysis/references.h"
#include "analysis/revision_search.h"
#include "platform/path_text.h"

namespace alembic::server {

std::string display_path(const Session& session, const std::string& path) {
  for (const fs::path& root : session.core.workspace().roots()) {
    const fs::path rel = platform::utf8_path(path).lexically_relative(root);
    // This system's separators: "migrations\versions\x.py" on Windows.
    if (!rel.empty() && *rel.begin() != "..") return rel.string();
  }
  return path;
}

const Script& script_of_revision(const EnvironmentState& env, size_t index) {
  return env.scripts[env.graph.revisions[index].script];
}

std::string revision_summary(const EnvironmentState& env, size_t index, size_t max_chars) {
  return message_summary(script_of_revision(env, index).parsed.docstring.message, max_chars);
}

SourceRange revision_statement_range(const Script& script) {
  const AssignedValue& rev = script.parsed.revision;
  if (!rev.present) return revision_declaration_range(script);
  SourceRange r = rev.name_range;
  r.end_byte = rev.value_range.end_byte;
  r.end_line = rev.value_range.end_line;
  r.end_column = rev.value_range.end_column;
  return r;
}

std::optional<size_t> revision_of_script(const EnvironmentState& env, size_t script) {
  const std::string id = revision_id_of(env.scripts[script]);
  for (size_t index : revisions_with_id(env, id))
    if (env.graph.revisions[index].script == script) return index;
  return std::nullopt;
}

protocol::Location revision_location(Session& session, const EnvironmentState& env, size_t index) {
  const Script& script = script_of_revision(env, index);
  return session.location(script.path, revision_declaration_range(script));
}

std::vector<size_t> revisions_with_id(const EnvironmentState& env, const std::string& id) {
  auto it = env.graph.by_id.find(id);
  if (it == env.graph.by_id.end()) return {};
  std::vector<size_t> out = it->second;
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<size_t> revisions_named(const EnvironmentState& env,
                                    const std::vector<std::string>& ids) {
  std::vector<size_t> out;
  std::set<std::string> seen;  // a child of two copies of a duplicated id is listed twice
  for (const std::string& id : ids)
    if (seen.insert(id).second)
      for (size_t index : revisions_with_id(env, id)) out.push_back(index);
  return out;
}

}  // namespace alembic::server
