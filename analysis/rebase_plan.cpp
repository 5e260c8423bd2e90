#include "analysis/rebase_plan.h"

#include <algorithm>

#include "analysis/findings.h"

namespace alembic {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// Where the value after `label` sits on the first docstring line starting with it.
struct HeaderSpan {
  uint32_t label_end = 0;  ///< just after the colon
  uint32_t start = 0;      ///< the value, spaces excluded
  uint32_t end = 0;
  uint32_t line_end = 0;  ///< end of the line's content (before "\r\n" or closing quotes)
};

std::optional<HeaderSpan> header_value(const Script& script, std::string_view source,
                                       std::string_view label) {
  const DocstringHeader& doc = script.parsed.docstring;
  if (!doc.present || doc.range.end_byte > source.size()) return std::nullopt;
  size_t line = doc.range.start_byte;
  while (line < doc.range.end_byte) {
    size_t eol = source.find('\n', line);
    if (eol == std::string_view::npos || eol > doc.range.end_byte) eol = doc.range.end_byte;
    size_t at = line;
    if (line == doc.range.start_byte) {  // skip the prefix and the opening quotes
      while (at < eol && std::string_view("rRuU").find(source[at]) != std::string_view::npos) ++at;
      while (at < eol && (source[at] == '"' || source[at] == '\'')) ++at;
    }
    while (at < eol && is_blank(source[at])) ++at;
    if (source.substr(at, label.size()) == label) {
      HeaderSpan span;
      span.label_end = static_cast<uint32_t>(at + label.size());
      size_t end = eol;
      if (end > span.label_end && source[end - 1] == '\r') --end;
      if (eol == doc.range.end_byte)  // a one-line docstring: its closing quotes
        while (end > span.label_end && (source[end - 1] == '"' || source[end - 1] == '\'')) --end;
      span.line_end = static_cast<uint32_t>(end);
      while (end > span.label_end && is_blank(source[end - 1])) --end;
      size_t start = span.label_end;
      while (start < end && is_blank(source[start])) ++start;
      span.start = static_cast<uint32_t>(start);
      span.end = static_cast<uint32_t>(end);
      return span;
    }
    line = eol + 1;
  }
  return std::nullopt;
}

// An edit setting a header line's value to `value`; nullopt when it already says so.
std::optional<TextEdit> header_edit(const Script& script, std::string_view source,
                                    std::string_view label, const std::string& value) {
  const std::optional<HeaderSpan> span = header_value(script, source, label);
  if (!span) return std::nullopt;
  if (source.substr(span->start, span->end - span->start) == value) return std::nullopt;
  // An empty value: write "Label: value" over whatever spaces follow the colon.
  if (span->start == span->end)
    return TextEdit{script.path, span->label_end, span->line_end, " " + value};
  return TextEdit{script.path, span->start, span->end, value};
}

std::string joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

}  // namespace

std::optional<EditPlan> plan_set_down_revision(const Script& script, std::string_view source,
                                               const std::vector<std::string>& ids,
                                               std::string* why) {
  const AssignedValue& down = script.parsed.down_revision;
  if (!down.present) {
    if (why) *why = std::string(file_name_of(script.path)) + " has no down_revision assignment";
    return std::nullopt;
  }
  EditPlan plan;
  const bool same_shape = ids.size() == down.strings.size() && down.unresolved.empty() &&
                          !down.is_none && (ids.size() == 1 || down.is_sequence);
  bool literal = same_shape;
  for (size_t k = 0; literal && k < ids.size(); ++k) {
    if (down.strings[k].text == ids[k]) continue;
    std::optional<TextEdit> e = replace_string(script.path, source, down.strings[k], ids[k]);
    if (e) plan.edits.push_back(std::move(*e));
    literal = e.has_value();
  }
  if (!literal) {  // a new shape, or values that are not plain literals: write it whole
    plan.edits.clear();
    plan.edits.push_back({script.path, down.value_range.start_byte, down.value_range.end_byte,
                          python_ids(ids, quote_style(source, script.parsed))});
  }
  if (std::optional<TextEdit> e = header_edit(script, source, "Revises:", joined(ids)))
    plan.edits.push_back(std::move(*e));
  normalize(plan);
  return plan;
}

EditPlan plan_header_rewrite(const Script& script, std::string_view source) {
  EditPlan plan;
  const std::string id = revision_id_of(script);
  if (!id.empty())
    if (std::optional<TextEdit> e = header_edit(script, source, "Revision ID:", id))
      plan.edits.push_back(std::move(*e));
  const AssignedValue& down = script.parsed.down_revision;
  if (down.present && down.unresolved.empty()) {
    std::vector<std::string> ids;
    for (const StringValue& s : down.strings)
      if (!s.text.empty()) ids.push_back(s.text);
    if (std::optional<TextEdit> e = header_edit(script, source, "Revises:", joined(ids)))
      plan.edits.push_back(std::move(*e));
  }
  normalize(plan);
  return plan;
}

std::optional<RebasePlan> plan_rebase(const GraphAnalysis& graph,
                                      const std::vector<Script>& scripts, size_t head,
                                      const std::string& onto, const TextReader& read,
                                      std::string* why) {
  auto fail = [why](std::string message) {
    if (why) *why = std::move(message);
    return std::nullopt;
  };
  if (head >= graph.revisions.size()) return fail("no such revision");
  const long target = graph.find(onto);
  if (target < 0) return fail("no revision '" + onto + "'");
  const size_t other = static_cast<size_t>(target);
  const Revision& moving = graph.revisions[head];
  if (!moving.children.empty()) return fail(moving.id + " is not a head");
  if (!graph.revisions[other].children.empty()) return fail(onto + " is not a head");
  if (other == head || moving.id == onto) return fail("a head cannot be rebased onto itself");
  const std::vector<bool> mine = ancestors_of(graph, head);
  const std::vector<bool> theirs = ancestors_of(graph, other);
  if (mine[other] || theirs[head]) return fail(moving.id + " and " + onto + " are one line");

  RebasePlan result;
  result.head = moving.id;
  result.onto = onto;
  for (size_t r = 0; r < graph.revisions.size(); ++r) {
    if (!mine[r] || theirs[r]) continue;
    const Revision& rev = graph.revisions[r];
    result.branch.push_back(rev.id);
    // The first revisions of the branch: a parent in the other history (the fork
    // point) or none at all (a separate base).
    bool forked = rev.down_revisions.empty();
    std::vector<std::string> parents;
    for (const std::string& p : rev.down_revisions) {
      const long at = graph.find(p);
      const bool shared = at >= 0 && theirs[static_cast<size_t>(at)];
      forked = forked || shared;
      const std::string& now = shared ? onto : p;
      if (std::find(parents.begin(), parents.end(), now) == parents.end()) parents.push_back(now);
    }
    if (!forked) continue;
    if (parents.empty()) parents.push_back(onto);
    const Script& script = scripts.at(rev.script);
    const std::string source = read(script.path);
    std::string problem;
    std::optional<EditPlan> edits = plan_set_down_revision(script, source, parents, &problem);
    if (!edits) return fail(problem);
    result.moved.push_back(rev.id);
    for (TextEdit& e : edits->edits) result.plan.edits.push_back(std::move(e));
  }
  if (result.moved.empty()) return fail("nothing in " + moving.id + "'s branch can be moved");
  if (!normalize(result.plan)) return fail("the edits of this rebase overlap");
  return result;
}

}  // namespace alembic
