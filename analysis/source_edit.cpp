#include "analysis/source_edit.h"

#include <algorithm>
#include <tuple>

#include "analysis/findings.h"
#include "analysis/parse_literal.h"

namespace alembic {

std::optional<std::pair<uint32_t, uint32_t>> literal_body(std::string_view source,
                                                          const StringValue& value) {
  const uint32_t start = value.range.start_byte, end = value.range.end_byte;
  if (end > source.size() || start >= end) return std::nullopt;
  const std::string_view written = source.substr(start, end - start);
  const literal::Prefix prefix = literal::read_prefix(written);
  if (prefix.bytes || prefix.formatted || prefix.length >= written.size()) return std::nullopt;
  const char quote = written[prefix.length];
  if (quote != '\'' && quote != '"') return std::nullopt;
  const std::string_view rest = written.substr(prefix.length);
  const size_t q = rest.size() >= 6 && rest.substr(0, 3) == std::string(3, quote) ? 3 : 1;
  if (rest.size() < 2 * q || rest.substr(rest.size() - q) != std::string(q, quote))
    return std::nullopt;
  const std::string_view body = rest.substr(q, rest.size() - 2 * q);
  if (body != value.text) return std::nullopt;  // escapes, concatenation, a bound name
  const uint32_t body_start = start + static_cast<uint32_t>(prefix.length + q);
  return std::make_pair(body_start, body_start + static_cast<uint32_t>(body.size()));
}

std::optional<TextEdit> replace_string(const std::string& path, std::string_view source,
                                       const StringValue& value, std::string_view text) {
  const auto body = literal_body(source, value);
  if (!body) return std::nullopt;
  return TextEdit{path, body->first, body->second, std::string(text)};
}

char quote_style(std::string_view source, const ParsedMigration& parsed) {
  for (const AssignedValue* v : {&parsed.revision, &parsed.down_revision, &parsed.depends_on})
    for (const StringValue& s : v->strings)
      if (literal_body(source, s)) {
        const std::string_view written =
            source.substr(s.range.start_byte, s.range.end_byte - s.range.start_byte);
        return written[literal::read_prefix(written).length];
      }
  return '\'';
}

std::string python_ids(const std::vector<std::string>& ids, char quote) {
  if (ids.empty()) return "None";
  auto one = [quote](const std::string& id) { return quote + id + quote; };
  if (ids.size() == 1) return one(ids[0]);
  std::string out = "(";
  for (size_t k = 0; k < ids.size(); ++k) out += (k ? ", " : "") + one(ids[k]);
  return out + ")";
}

std::string revision_id_problem(const GraphAnalysis& graph, std::string_view id) {
  if (id.empty()) return "a revision id cannot be empty";
  std::string bad;
  for (char c : id) {
    const bool illegal = kIllegalRevisionChars.find(c) != std::string_view::npos;
    const bool unsafe = c == '\'' || c == '"' || c == '\\' || c == ',' ||
                        static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
    if ((illegal || unsafe) && bad.find(c) == std::string::npos) bad += c;
  }
  if (!bad.empty()) {
    std::string shown;
    for (char c : bad) {
      if (!shown.empty()) shown += ", ";
      shown += static_cast<unsigned char>(c) <= ' ' ? std::string("whitespace") : std::string(1, c);
    }
    return "'" + std::string(id) + "' is not a valid revision id: it contains " + shown +
           " (Alembic refuses @ - + : in ids; quotes, commas, backslashes and whitespace "
           "would not survive the docstring header)";
  }
  const std::string key(id);
  if (graph.by_id.contains(key)) return "revision '" + key + "' already exists";
  for (const Revision& r : graph.revisions)
    if (std::find(r.branch_labels.begin(), r.branch_labels.end(), key) != r.branch_labels.end())
      return "'" + key + "' is already the branch label of revision " + r.id;
  if (key == "head" || key == "heads" || key == "base" || key == "current")
    return "'" + key + "' is one of Alembic's symbolic names (head, heads, base, current)";
  return "";
}

std::string fresh_revision_id(const GraphAnalysis& graph, std::mt19937_64& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (;;) {
    std::string id;
    uint64_t bits = random();
    for (int i = 0; i < 12; ++i, bits >>= 4) id += kHex[bits & 15];
    if (revision_id_problem(graph, id).empty()) return id;
  }
}

std::string fresh_revision_id(const GraphAnalysis& graph) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return fresh_revision_id(graph, random);
}

bool normalize(EditPlan& plan) {
  auto key = [](const TextEdit& e) { return std::tie(e.path, e.start, e.end, e.new_text); };
  std::sort(plan.edits.begin(), plan.edits.end(),
            [&](const TextEdit& a, const TextEdit& b) { return key(a) < key(b); });
  plan.edits.erase(std::unique(plan.edits.begin(), plan.edits.end()), plan.edits.end());
  for (size_t k = 1; k < plan.edits.size(); ++k) {
    const TextEdit& a = plan.edits[k - 1];
    const TextEdit& b = plan.edits[k];
    if (a.path == b.path && (b.start < a.end || (a.start == a.end && b.start == a.start)))
      return false;
  }
  return true;
}

std::vector<bool> descendants_of(const GraphAnalysis& graph, size_t revision) {
  std::vector<bool> seen = reachable(graph, {revision}, Walk::Children);
  if (revision < seen.size()) seen[revision] = true;
  return seen;
}

std::vector<bool> ancestors_of(const GraphAnalysis& graph, size_t revision) {
  std::vector<bool> seen = reachable(graph, {revision}, Walk::Parents);
  if (revision < seen.size()) seen[revision] = true;
  return seen;
}

}  // namespace alembic
