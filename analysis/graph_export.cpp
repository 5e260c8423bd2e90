#include "analysis/graph_export.h"

#include <algorithm>
#include <unordered_map>

namespace alembic {

namespace {

// What a drawing needs to know about one node, whatever the output language.
struct NodeInfo {
  std::string name;  ///< r<index> for revisions, m<index> for missing ids
  std::string id;
  std::string message;
  std::vector<std::string> labels;
  bool missing = false;
  bool head = false, effective_head = false, base = false, merge = false, branch = false;
  size_t copy = 0, copies = 1;  ///< 1-based copy number of a duplicated id
};

struct EdgeInfo {
  size_t from = 0, to = 0;  ///< parent (or dependency) -> child
  bool depends = false;
};

struct Model {
  std::vector<NodeInfo> nodes;
  std::vector<EdgeInfo> edges;
};

Model build_model(const GraphAnalysis& graph, const std::vector<Script>& scripts, size_t width) {
  Model m;
  const size_t n = graph.revisions.size();
  m.nodes.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Revision& r = graph.revisions[i];
    NodeInfo& node = m.nodes[i];
    node.name = "r" + std::to_string(i);
    node.id = r.id;
    if (r.script < scripts.size())
      node.message = truncate_message(scripts[r.script].parsed.docstring.message, width);
    node.labels = r.effective_labels;
    node.head = r.children.empty();
    node.effective_head = node.head && !r.dependents.empty();
    node.base = r.down_revisions.empty();
    node.merge = r.down_revisions.size() > 1;
    node.branch = r.children.size() > 1;
    auto copies = graph.by_id.find(r.id);
    if (copies != graph.by_id.end() && copies->second.size() > 1) {
      node.copies = copies->second.size();
      node.copy = static_cast<size_t>(std::find(copies->second.begin(), copies->second.end(), i) -
                                      copies->second.begin() + 1);
    }
  }
  std::unordered_map<std::string, size_t> ghosts;
  auto target = [&](const std::string& id) -> size_t {
    const long found = graph.find(id);
    if (found >= 0) return static_cast<size_t>(found);
    auto [it, added] = ghosts.emplace(id, m.nodes.size());
    if (added) {
      NodeInfo ghost;
      ghost.name = "m" + std::to_string(ghosts.size() - 1);
      ghost.id = id;
      ghost.missing = true;
      m.nodes.push_back(std::move(ghost));
    }
    return it->second;
  };
  for (size_t i = 0; i < n; ++i) {
    const Revision& r = graph.revisions[i];
    for (const std::string& parent : r.down_revisions)
      m.edges.push_back({target(parent), i, false});
    for (const std::string& dep : r.depends_on) m.edges.push_back({target(dep), i, true});
  }
  return m;
}

// "head, merge point, branch: expand" and the like: the node's roles in words.
std::string roles(const NodeInfo& node) {
  std::vector<std::string> parts;
  if (node.missing) parts.push_back("missing");
  if (node.head) parts.push_back(node.effective_head ? "effective head" : "head");
  if (node.base) parts.push_back("base");
  if (node.merge) parts.push_back("merge point");
  if (node.branch) parts.push_back("branch point");
  if (node.copies > 1)
    parts.push_back("duplicate id " + std::to_string(node.copy) + "/" +
                    std::to_string(node.copies));
  if (!node.labels.empty()) {
    std::string labels = "branch: ";
    for (size_t k = 0; k < node.labels.size(); ++k) labels += (k ? ", " : "") + node.labels[k];
    parts.push_back(labels);
  }
  std::string out;
  for (size_t k = 0; k < parts.size(); ++k) out += (k ? ", " : "") + parts[k];
  return out;
}

std::vector<std::string> label_lines(const NodeInfo& node) {
  std::vector<std::string> lines = {node.id};
  if (!node.message.empty()) lines.push_back(node.message);
  if (std::string r = roles(node); !r.empty()) lines.push_back("(" + r + ")");
  return lines;
}

// ---- DOT --------------------------------------------------------------------------

std::string dot_quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  return out + "\"";
}

std::string dot_attributes(const NodeInfo& node) {
  std::string label;
  for (const std::string& line : label_lines(node)) {
    std::string q = dot_quote(line);
    label += (label.empty() ? "" : "\\n") + q.substr(1, q.size() - 2);
  }
  std::string a = "label=\"" + label + "\"";
  if (node.missing)
    return a + ", shape=box, style=\"dashed\", color=\"#9e9e9e\", fontcolor=\"#757575\"";
  std::string shape = "box", style = "rounded,filled", fill = "#ffffff", color = "#455a64";
  if (node.base) fill = "#e1bee7", color = "#6a1b9a";
  if (node.head) {
    fill = node.effective_head ? "#e8f5e9" : "#c8e6c9";
    color = "#2e7d32";
    style = "rounded,filled,bold";
  }
  if (node.branch) shape = "parallelogram", style = "filled", fill = "#ffe0b2", color = "#e65100";
  if (node.merge) shape = "hexagon", style = "filled", fill = "#bbdefb", color = "#0d47a1";
  a += ", shape=" + shape + ", style=\"" + style + "\", fillcolor=\"" + fill + "\", color=\"" +
       color + "\"";
  if (node.copies > 1) a += ", peripheries=2, penwidth=2, color=\"#c62828\", fontcolor=\"#c62828\"";
  return a;
}

// ---- Mermaid ----------------------------------------------------------------------

std::string mermaid_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '"':
        out += "#34;";
        break;
      case '#':
        out += "#35;";
        break;
      case '&':
        out += "#38;";
        break;
      case '<':
        out += "#60;";
        break;
      case '>':
        out += "#62;";
        break;
      case '`':
        out += "#96;";
        break;
      default:
        out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
  }
  return out;
}

std::string mermaid_node(const NodeInfo& node) {
  std::string label;
  for (const std::string& line : label_lines(node))
    label += (label.empty() ? "" : "<br/>") + mermaid_text(line);
  label = "\"" + label + "\"";
  if (node.missing) return node.name + "[" + label + "]";
  if (node.merge) return node.name + "{{" + label + "}}";
  if (node.branch) return node.name + "[/" + label + "/]";
  if (node.head) return node.name + "([" + label + "])";
  if (node.base) return node.name + "[[" + label + "]]";
  return node.name + "(" + label + ")";
}

void mermaid_class(std::string& out, const char* name, const std::vector<std::string>& members) {
  // A few hundred ids per line keeps the statements readable and within Mermaid's limits.
  for (size_t start = 0; start < members.size(); start += 200) {
    out += "  class ";
    for (size_t k = start; k < members.size() && k < start + 200; ++k)
      out += (k == start ? "" : ",") + members[k];
    out += std::string(" ") + name + "\n";
  }
}

}  // namespace

std::string truncate_message(const std::string& message, size_t width) {
  if (width == 0) return {};
  std::string first = message.substr(0, message.find('\n'));
  size_t points = 0, at = 0;
  while (at < first.size()) {
    if (points == width) return first.substr(0, at) + "...";
    const unsigned char c = static_cast<unsigned char>(first[at]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    at = std::min(first.size(), at + len);
    ++points;
  }
  return first;
}

std::string render_dot(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                       const GraphExportOptions& options) {
  const Model m = build_model(graph, scripts, options.message_width);
  std::string out = "digraph revisions {\n  rankdir=TB;\n  fontname=\"Helvetica\";\n";
  if (!options.title.empty()) out += "  label=" + dot_quote(options.title) + ";\n  labelloc=t;\n";
  out += "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [color=\"#546e7a\"];\n";
  for (const NodeInfo& node : m.nodes)
    out += "  " + node.name + " [" + dot_attributes(node) + "];\n";
  for (const EdgeInfo& e : m.edges) {
    out += "  " + m.nodes[e.from].name + " -> " + m.nodes[e.to].name;
    if (e.depends)
      out += " [style=dotted, arrowhead=empty, tooltip=\"depends_on\"]";
    else if (m.nodes[e.from].missing)
      out += " [style=dashed, color=\"#9e9e9e\"]";
    out += ";\n";
  }
  return out + "}\n";
}

std::string render_mermaid(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                           const GraphExportOptions& options) {
  const Model m = build_model(graph, scripts, options.message_width);
  std::string out;
  if (!options.title.empty()) out += "---\ntitle: " + mermaid_text(options.title) + "\n---\n";
  out += "flowchart TB\n";
  std::vector<std::string> heads, bases, merges, branches, missing, duplicates;
  for (const NodeInfo& node : m.nodes) {
    out += "  " + mermaid_node(node) + "\n";
    if (node.missing)
      missing.push_back(node.name);
    else if (node.merge)
      merges.push_back(node.name);
    else if (node.branch)
      branches.push_back(node.name);
    else if (node.head)
      heads.push_back(node.name);
    else if (node.base)
      bases.push_back(node.name);
    if (node.copies > 1) duplicates.push_back(node.name);
  }
  std::vector<std::string> ghost_links;
  for (size_t k = 0; k < m.edges.size(); ++k) {
    const EdgeInfo& e = m.edges[k];
    out +=
        "  " + m.nodes[e.from].name + (e.depends ? " -.-> " : " --> ") + m.nodes[e.to].name + "\n";
    if (m.nodes[e.from].missing && !e.depends) ghost_links.push_back(std::to_string(k));
  }
  out +=
      "  classDef head fill:#c8e6c9,stroke:#2e7d32,stroke-width:2px\n"
      "  classDef base fill:#e1bee7,stroke:#6a1b9a\n"
      "  classDef merge fill:#bbdefb,stroke:#0d47a1\n"
      "  classDef branchpoint fill:#ffe0b2,stroke:#e65100\n"
      "  classDef missing fill:#ffffff,stroke:#9e9e9e,stroke-dasharray:5 5,color:#757575\n"
      "  classDef duplicate stroke:#c62828,stroke-width:3px,color:#c62828\n";
  mermaid_class(out, "head", heads);
  mermaid_class(out, "base", bases);
  mermaid_class(out, "merge", merges);
  mermaid_class(out, "branchpoint", branches);
  mermaid_class(out, "missing", missing);
  mermaid_class(out, "duplicate", duplicates);
  for (size_t start = 0; start < ghost_links.size(); start += 200) {
    out += "  linkStyle ";
    for (size_t k = start; k < ghost_links.size() && k < start + 200; ++k)
      out += (k == start ? "" : ",") + ghost_links[k];
    out += " stroke:#9e9e9e,stroke-dasharray:4 4\n";
  }
  return out;
}

}  // namespace alembic
