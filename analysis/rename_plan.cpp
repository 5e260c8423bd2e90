#include "analysis/rename_plan.h"

#include "analysis/findings.h"

namespace alembic {

namespace {

std::string where(const Script& script, const SourceRange& range) {
  return std::string(file_name_of(script.path)) + ":" + std::to_string(range.start_line + 1);
}

bool is_docstring(ReferenceKind kind) {
  return kind == ReferenceKind::DocstringRevisionId || kind == ReferenceKind::DocstringRevises;
}

}  // namespace

std::optional<std::string> renamable_id(const GraphAnalysis& graph, const RevisionReference& ref,
                                        std::string* why) {
  auto fail = [why](std::string message) {
    if (why) *why = std::move(message);
    return std::nullopt;
  };
  if (ref.kind == ReferenceKind::BranchLabel)
    return fail("'" + ref.text + "' is a branch label, not a revision id; only ids are renamed");
  auto copies = graph.by_id.find(ref.text);
  if (copies == graph.by_id.end()) {
    if (ref.kind == ReferenceKind::DependsOn && !revisions_with_label(graph, ref.text).empty())
      return fail("'" + ref.text + "' is a branch label, not a revision id; only ids are renamed");
    return fail("no revision '" + ref.text + "' exists, so there is nothing to rename");
  }
  if (copies->second.size() > 1)
    return fail("revision '" + ref.text + "' is defined by " +
                std::to_string(copies->second.size()) +
                " files; give one of them a new id first (the duplicate-revision quick fix)");
  return ref.text;
}

std::optional<std::string> renamed_path(const std::string& path, const std::string& old_id,
                                        const std::string& new_id) {
  return renamed_path(path, old_id, new_id, file_name_of(path));
}

std::optional<std::string> renamed_path(const std::string& path, const std::string& old_id,
                                        const std::string& new_id, std::string_view name) {
  const size_t name_at = path.size() - name.size();
  if (old_id.empty() || !name.starts_with(old_id)) return std::nullopt;
  const std::string_view rest = name.substr(old_id.size());
  if (!rest.empty() && rest[0] != '_' && rest[0] != '.') return std::nullopt;
  return path.substr(0, name_at) + new_id + std::string(rest);
}

std::optional<EditPlan> plan_new_id_for_script(const Script& script, const std::string& new_id,
                                               std::string_view source, std::string* why) {
  const AssignedValue& rev = script.parsed.revision;
  if (!rev.present || rev.is_sequence || rev.strings.size() != 1 || !rev.unresolved.empty()) {
    if (why) *why = std::string(file_name_of(script.path)) + " has no `revision` string";
    return std::nullopt;
  }
  const StringValue& declared = rev.strings[0];
  EditPlan plan;
  std::optional<TextEdit> edit = replace_string(script.path, source, declared, new_id);
  if (!edit) {
    if (why)
      *why = "the revision of " + where(script, declared.range) +
             " is not a plain string literal; edit it by hand";
    return std::nullopt;
  }
  plan.edits.push_back(std::move(*edit));
  const DocstringHeader& doc = script.parsed.docstring;
  if (doc.revision_id && doc.revision_id->text == declared.text)
    plan.edits.push_back(
        {script.path, doc.revision_id->range.start_byte, doc.revision_id->range.end_byte, new_id});
  normalize(plan);
  return plan;
}

std::optional<EditPlan> plan_rename(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                                    const std::string& old_id, const std::string& new_id,
                                    const TextReader& read, std::string* why) {
  auto fail = [why](std::string message) {
    if (why) *why = std::move(message);
    return std::nullopt;
  };
  RevisionReference target{ReferenceKind::Revision, old_id, {}};
  if (!renamable_id(graph, target, why)) return std::nullopt;
  if (new_id == old_id) return fail("the new id is the same as the old one");
  if (std::string problem = revision_id_problem(graph, new_id); !problem.empty())
    return fail("cannot rename to " + problem);

  const size_t defining = graph.revisions[graph.by_id.at(old_id).front()].script;
  const Script& declaring = scripts.at(defining);
  const AssignedValue& rev = declaring.parsed.revision;
  if (!rev.present || rev.strings.size() != 1 || rev.strings[0].text != old_id)
    return fail("revision '" + old_id + "' comes from the file name of " +
                std::string(file_name_of(declaring.path)) +
                ", not from a `revision` string; add one before renaming");

  EditPlan plan;
  std::vector<std::string> sources(scripts.size());
  std::vector<bool> loaded(scripts.size(), false);
  auto source_of = [&](size_t s) -> const std::string& {
    if (!loaded[s]) sources[s] = read(scripts[s].path), loaded[s] = true;
    return sources[s];
  };
  for (const ScriptReference& found : find_references(graph, scripts, old_id, true)) {
    const RevisionReference& ref = found.reference;
    if (ref.text != old_id || ref.kind == ReferenceKind::BranchLabel) continue;
    const Script& script = scripts[found.script];
    if (is_docstring(ref.kind)) {
      plan.edits.push_back({script.path, ref.range.start_byte, ref.range.end_byte, new_id});
      continue;
    }
    std::optional<TextEdit> edit =
        replace_string(script.path, source_of(found.script), {ref.text, ref.range}, new_id);
    if (!edit)
      return fail(std::string(reference_kind_name(ref.kind)) + " at " + where(script, ref.range) +
                  " does not write '" + old_id +
                  "' as a plain string literal; it cannot be renamed safely");
    plan.edits.push_back(std::move(*edit));
  }
  if (!normalize(plan)) return fail("the edits for this rename overlap");
  if (std::optional<std::string> to = renamed_path(declaring.path, old_id, new_id))
    plan.renames.push_back({declaring.path, *to});
  return plan;
}

}  // namespace alembic
