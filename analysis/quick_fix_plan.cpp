#include "analysis/quick_fix_plan.h"

#include <algorithm>

#include "analysis/findings.h"
#include "analysis/rebase_plan.h"

namespace alembic {

long revision_of_script(const GraphAnalysis& graph, size_t script) {
  for (size_t i = 0; i < graph.revisions.size(); ++i)
    if (graph.revisions[i].script == script) return static_cast<long>(i);
  return -1;
}

const StringValue* reference_value_at(const Script& script, const SourceRange& range) {
  for (const AssignedValue* v : {&script.parsed.down_revision, &script.parsed.depends_on})
    for (const StringValue& s : v->strings)
      if (s.range.start_byte == range.start_byte && s.range.end_byte == range.end_byte) return &s;
  return nullptr;
}

std::vector<std::string> attachable_heads(const GraphAnalysis& graph, size_t revision) {
  const std::vector<bool> below = descendants_of(graph, revision);
  std::vector<std::string> heads;
  for (size_t k = 0; k < graph.heads.size(); ++k) {
    const size_t index = k < graph.head_indexes.size() ? graph.head_indexes[k] : SIZE_MAX;
    if (index < below.size() && below[index]) continue;
    if (std::find(heads.begin(), heads.end(), graph.heads[k]) == heads.end())
      heads.push_back(graph.heads[k]);
  }
  return heads;
}

std::vector<std::string> depends_on_heads(const GraphAnalysis& graph, const Script& script) {
  std::vector<std::string> heads;
  for (const StringValue& s : script.parsed.depends_on.strings) {
    auto copies = graph.by_id.find(s.text);
    if (copies == graph.by_id.end()) continue;
    const bool head = std::all_of(copies->second.begin(), copies->second.end(),
                                  [&](size_t i) { return graph.revisions[i].children.empty(); });
    if (head && std::find(heads.begin(), heads.end(), s.text) == heads.end())
      heads.push_back(s.text);
  }
  return heads;
}

std::optional<EditPlan> plan_orphaned_merge(const GraphAnalysis& graph, const Script& script,
                                            std::string_view source, std::string* why) {
  const std::vector<std::string> heads = depends_on_heads(graph, script);
  const AssignedValue& depends = script.parsed.depends_on;
  if (heads.empty() || !depends.present) {
    if (why) *why = "depends_on names no head";
    return std::nullopt;
  }
  std::optional<EditPlan> plan = plan_set_down_revision(script, source, heads, why);
  if (!plan) return std::nullopt;
  std::vector<std::string> rest;
  for (const StringValue& s : depends.strings)
    if (std::find(heads.begin(), heads.end(), s.text) == heads.end()) rest.push_back(s.text);
  // What stays in depends_on: other ids, and expressions kept exactly as written.
  const char quote = quote_style(source, script.parsed);
  std::vector<std::string> kept;
  for (const std::string& id : rest) kept.push_back(quote + id + quote);
  for (const UnresolvedValue& u : depends.unresolved) kept.push_back(u.expression);
  std::string value = kept.empty() ? "None" : kept.size() == 1 ? kept[0] : "(";
  if (kept.size() > 1) {
    for (size_t k = 0; k < kept.size(); ++k) value += (k ? ", " : "") + kept[k];
    value += ")";
  }
  plan->edits.push_back(
      {script.path, depends.value_range.start_byte, depends.value_range.end_byte, value});
  if (!normalize(*plan)) {
    if (why) *why = "down_revision and depends_on overlap";
    return std::nullopt;
  }
  return plan;
}

namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::optional<TextEdit> misspelled_down_revision(const std::string& path, std::string_view source) {
  constexpr std::string_view kName = "down_revision";
  for (size_t line = 0; line < source.size();) {
    size_t eol = source.find('\n', line);
    if (eol == std::string_view::npos) eol = source.size();
    size_t end = line;
    while (end < eol && is_name_char(source[end])) ++end;
    size_t after = end;
    while (after < eol && (source[after] == ' ' || source[after] == '\t')) ++after;
    const std::string_view name = source.substr(line, end - line);
    const bool assigned =
        after < eol && (source[after] == ':' ||
                        (source[after] == '=' && (after + 1 >= eol || source[after + 1] != '=')));
    if (assigned && !name.empty() && name != kName && edit_distance(name, kName) <= 2)
      return TextEdit{path, static_cast<uint32_t>(line), static_cast<uint32_t>(end),
                      std::string(kName)};
    line = eol + 1;
  }
  return std::nullopt;
}

std::optional<EditPlan> plan_remove_element(const Script& script, const AssignedValue& value,
                                            std::string_view source, const SourceRange& element,
                                            std::string* why) {
  // The other elements stay exactly as written (their quotes, prefixes, expressions).
  std::vector<std::pair<uint32_t, std::string_view>> kept;
  bool found = false;
  auto written = [&](const SourceRange& r) {
    return r.end_byte <= source.size() ? source.substr(r.start_byte, r.end_byte - r.start_byte)
                                       : std::string_view();
  };
  for (const StringValue& s : value.strings) {
    if (s.range.start_byte == element.start_byte && s.range.end_byte == element.end_byte) {
      if (!literal_body(source, s)) {  // read through a constant (constants.h)
        if (why) *why = "this element is written as a constant; edit the constant by hand";
        return std::nullopt;
      }
      found = true;
      continue;
    }
    kept.emplace_back(s.range.start_byte, written(s.range));
  }
  // A constant standing for several strings is one element as written.
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  for (const UnresolvedValue& u : value.unresolved)
    kept.emplace_back(u.range.start_byte, written(u.range));
  if (!found || !value.present || value.value_range.end_byte > source.size()) {
    if (why) *why = "no such element in this file";
    return std::nullopt;
  }
  std::sort(kept.begin(), kept.end());
  std::string text = kept.empty() ? "None" : "(";
  for (size_t k = 0; k < kept.size(); ++k)
    text += std::string(k ? ", " : "") + std::string(kept[k].second);
  if (kept.size() == 1) text += ",";
  if (!kept.empty()) text += ")";
  EditPlan plan;
  plan.edits.push_back(
      {script.path, value.value_range.start_byte, value.value_range.end_byte, text});
  return plan;
}

std::string valid_id_like(const GraphAnalysis& graph, std::string_view id) {
  std::string out(id);
  for (char& c : out)
    if (kIllegalRevisionChars.find(c) != std::string_view::npos) c = '_';
  return revision_id_problem(graph, out).empty() ? out : std::string();
}

}  // namespace alembic
