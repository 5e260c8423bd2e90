// Drawing a revision graph: Graphviz DOT and Mermaid flowcharts of one environment.
// History flows from the bases at the top to the heads at the bottom. Heads, bases,
// merge points and branch points get their own shapes and colours; a parent that is
// missing is a dashed ghost node; duplicated ids are marked; depends_on edges are dotted.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "analysis/graph.h"

namespace alembic {

struct GraphExportOptions {
  std::string title;          ///< shown as the graph's label when not empty
  size_t message_width = 40;  ///< characters of the message kept in a node label
};

/// A Graphviz DOT digraph (`dot -Tsvg` renders it).
std::string render_dot(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                       const GraphExportOptions& options = {});

/// A Mermaid flowchart (`flowchart TB`), for Markdown that renders Mermaid.
std::string render_mermaid(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                           const GraphExportOptions& options = {});

/// The first `width` characters (UTF-8 code points) of the first line of `message`,
/// with "..." when cut.
std::string truncate_message(const std::string& message, size_t width);

}  // namespace alembic
