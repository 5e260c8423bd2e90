#include "server/cli/revision_format.h"

#include <algorithm>

#include "analysis/parse_literal.h"

namespace alembic::cli {

namespace {

std::string comma(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string strip(const std::string& text) {
  const char* space = " \t\n\r\f\v";
  const size_t first = text.find_first_not_of(space);
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

// Script.doc: the stripped docstring up to the first blank line ("\n\n").
std::string doc(const Script& script) {
  const std::string text = long_doc(script);
  return text.substr(0, text.find("\n\n"));
}

// Revision._format_down_revision.
std::string format_down(const Revision& r) {
  return r.down_revisions.empty() ? "<base>" : comma(r.down_revisions);
}

std::string log_entry(const Revision& r, const Script& script) {
  const bool head = r.children.empty();
  const bool branch_point = r.children.size() > 1;
  const bool merge_point = r.down_revisions.size() > 1;
  std::string entry = "Rev: " + r.id + (head ? " (head)" : "") +
                      (branch_point ? " (branchpoint)" : "") +
                      (merge_point ? " (mergepoint)" : "") + "\n";
  entry += std::string(merge_point ? "Merges: " : "Parent: ") + format_down(r) + "\n";
  // Script.dependencies is depends_on as written (labels are not resolved here).
  std::vector<std::string> depends;
  for (const auto& s : script.parsed.depends_on.strings) depends.push_back(s.text);
  if (!depends.empty()) entry += "Also depends on: " + comma(depends) + "\n";
  if (branch_point) {
    std::vector<std::string> children = r.children;  // a set in Alembic
    std::sort(children.begin(), children.end());
    entry += "Branches into: " + comma(children) + "\n";
  }
  if (!r.effective_labels.empty()) entry += "Branch names: " + comma(r.effective_labels) + "\n";
  entry += "Path: " + script.path + "\n";
  std::string paragraphs;
  const std::string text = long_doc(script);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    paragraphs += (paragraphs.empty() ? "" : "\n") + ("    " + text.substr(start, end - start));
    start = end + 1;
  }
  return entry + "\n" + paragraphs + "\n";
}

}  // namespace

std::string long_doc(const Script& script) {
  const DocstringHeader& d = script.parsed.docstring;
  if (!d.present) return {};
  try {
    const std::string source = read_file_bytes(script.path);
    if (d.range.end_byte > source.size() || d.range.start_byte >= d.range.end_byte) return {};
    std::optional<std::string> value = literal::decode_str(
        std::string_view(source).substr(d.range.start_byte, d.range.end_byte - d.range.start_byte),
        literal::Escapes::Verbatim);
    return value ? strip(*value) : std::string();
  } catch (const std::exception&) {
    return d.message;  // the file changed or vanished since it was read
  }
}

std::string cmd_format(const LoadedEnvironment& env, size_t index, const CmdFormat& format) {
  const Revision& r = env.graph.revisions[index];
  const Script& script = env.scripts[r.script];
  if (format.verbose) return log_entry(r, script);
  std::string text = r.id;
  if (format.include_branches && !r.effective_labels.empty())
    text += " (" + comma(r.effective_labels) + ")";
  const bool head = r.children.empty();
  const bool real_head = head && r.dependents.empty();
  if (real_head) text += " (head)";
  if (head && !real_head) text += " (effective head)";
  if (format.tree_indicators) {
    if (r.children.size() > 1) text += " (branchpoint)";
    if (r.down_revisions.size() > 1) text += " (mergepoint)";
  }
  if (format.include_doc) text += ", " + doc(script);
  return text;
}

}  // namespace alembic::cli
