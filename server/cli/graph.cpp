// `alembic-lsp graph [PATH] [--format dot|mermaid] [--name ENV]`: the revision graph as
// Graphviz DOT or a Mermaid flowchart (analysis/graph_export.h).
#include <iostream>

#include "analysis/graph_export.h"
#include "server/cli/args.h"
#include "server/cli/check_report.h"
#include "server/cli/commands.h"
#include "server/cli/select.h"

namespace alembic::cli {

namespace {

constexpr const char* kGraphHelp =
    R"(usage: alembic-lsp graph [PATH] [--format dot|mermaid] [--name ENV] [--width N]

Prints the revision graph of an Alembic environment, from its bases (top) to its heads
(bottom), as Graphviz DOT (render with `dot -Tsvg`) or a Mermaid flowchart (GitHub and
many wikis render it in Markdown). Each node shows the revision id and the start of its
message. Heads, bases, merge points and branch points have their own shapes and colours;
a down_revision that names no revision is a dashed grey node; revisions whose id is
duplicated are red with a double border; depends_on edges are dotted.

options:
  --format dot|mermaid  output language (default: dot)
  --width N             characters of each message shown (default: 40; 0: none)
  --name ENV            the environment to draw when PATH holds several
  -h, --help            show this help

exit status: 0 printed, 2 usage or I/O error.
)";

}  // namespace

int graph_command(const std::vector<std::string>& argv) {
  Args args = parse_args(argv, {{"--format", "--name", "--width"}, {"--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kGraphHelp;
    return 0;
  }
  const std::string format = args.value("--format").value_or("dot");
  if (format != "dot" && format != "mermaid")
    throw UsageError("unknown --format '" + format + "' (expected dot or mermaid)");
  if (args.positionals.size() > 1)
    throw UsageError("graph takes one PATH, got " + std::to_string(args.positionals.size()));
  GraphExportOptions options;
  if (auto width = args.value("--width")) {
    try {
      size_t used = 0;
      const long n = std::stol(*width, &used);
      if (used != width->size() || n < 0 || n > 10000) throw std::invalid_argument(*width);
      options.message_width = static_cast<size_t>(n);
    } catch (const std::exception&) {
      throw UsageError("--width needs a number of characters, got '" + *width + "'");
    }
  }
  const std::string path = args.positionals.empty() ? "." : args.positionals[0];
  LoadedEnvironment env = load_chosen_environment(
      path, args.value("--name"), [](const std::filesystem::path& p) { return display_path(p); });
  options.title = "alembic revisions: " + env.environment.name;
  std::cout << (format == "dot" ? render_dot(env.graph, env.scripts, options)
                                : render_mermaid(env.graph, env.scripts, options));
  return 0;
}

}  // namespace alembic::cli
