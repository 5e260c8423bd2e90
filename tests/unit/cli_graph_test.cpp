// `graph`: DOT and Mermaid renderings of a history with every kind of node (heads, bases,
// merge and branch points, a missing parent, a duplicated id, a depends_on edge), and,
// when Graphviz is installed, `dot -Tsvg` accepting the output.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include <unistd.h>

#include "analysis/graph_export.h"
#include "analysis/parser.h"

using namespace alembic;
namespace fs = std::filesystem;

namespace {

std::vector<Script> tangled() {
  auto m = [](const std::string& id, const std::string& down, const std::string& extra = "",
              const std::string& message = "") {
    return parse_migration("\"\"\"" + (message.empty() ? "add " + id : message) +
                           "\n\nRevision ID: " + id + "\n\"\"\"\nrevision = '" + id +
                           "'\ndown_revision = " + down + "\n" + extra);
  };
  return {{"v/a.py", m("a", "None", "branch_labels = ('core',)\n")},
          {"v/b.py",
           m("b", "'a'", "", "a \"quoted\" <message> that is much longer than forty characters")},
          {"v/c.py", m("c", "'a'")},
          {"v/d.py", m("d", "('b', 'c')")},
          {"v/e.py", m("e", "'d'")},
          {"v/e2.py", m("e", "'d'")},
          {"v/f.py", m("f", "'ghost'")},
          {"v/g.py", m("g", "None", "depends_on = 'd'\n")}};
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST(GraphExport, TruncatesOnCodePoints) {
  EXPECT_EQ(truncate_message("short", 40), "short");
  EXPECT_EQ(truncate_message("first line\nsecond", 40), "first line");
  EXPECT_EQ(truncate_message("abcdef", 3), "abc...");
  EXPECT_EQ(truncate_message("ééééé", 2), "éé...");
  EXPECT_EQ(truncate_message("anything", 0), "");
}

TEST(GraphExport, DotHasEveryKindOfNode) {
  const std::vector<Script> scripts = tangled();
  const GraphAnalysis g = analyze(scripts);
  const std::string dot = render_dot(g, scripts, {"alembic revisions: test", 20});
  EXPECT_EQ(dot.rfind("digraph revisions {\n", 0), 0u);
  EXPECT_EQ(dot.substr(dot.size() - 2), "}\n");
  EXPECT_NE(dot.find("label=\"alembic revisions: test\""), std::string::npos);
  // a: base with its branch label; d: merge point (hexagon); a: branch point.
  EXPECT_NE(
      dot.find("r0 [label=\"a\\nadd a\\n(base, branch point, branch: core)\", shape=parallelogram"),
      std::string::npos)
      << dot;
  EXPECT_NE(dot.find("r3 [label=\"d\\nadd d\\n(merge point, branch: core)\", shape=hexagon"),
            std::string::npos)
      << dot;
  // Quotes escaped, message cut at 20 characters.
  EXPECT_NE(dot.find("r1 [label=\"b\\na \\\"quoted\\\" <message>...\\n"), std::string::npos) << dot;
  // The duplicated id: both copies marked, red, double border.
  EXPECT_EQ(count(dot, "duplicate id "), 2u);
  EXPECT_NE(dot.find("(head, duplicate id 2/2, branch: core)"), std::string::npos) << dot;
  EXPECT_EQ(count(dot, "peripheries=2"), 2u);
  // The missing parent: a dashed ghost node and a dashed edge.
  EXPECT_NE(dot.find("m0 [label=\"ghost\\n(missing)\", shape=box, style=\"dashed\""),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("m0 -> r6 [style=dashed"), std::string::npos) << dot;
  // depends_on: dotted; down_revision edges: plain, parent -> child.
  EXPECT_NE(dot.find("r3 -> r7 [style=dotted"), std::string::npos) << dot;
  EXPECT_NE(dot.find("r1 -> r3;\n"), std::string::npos);
  EXPECT_NE(dot.find("r2 -> r3;\n"), std::string::npos);
  // d's children point at the last loaded copy of e (Alembic's revision map).
  EXPECT_NE(dot.find("r3 -> r5;\n"), std::string::npos);
}

TEST(GraphExport, MermaidHasShapesClassesAndLinkStyles) {
  const std::vector<Script> scripts = tangled();
  const GraphAnalysis g = analyze(scripts);
  const std::string mmd = render_mermaid(g, scripts, {});
  EXPECT_EQ(mmd.rfind("flowchart TB\n", 0), 0u);
  EXPECT_NE(mmd.find("  r3{{\"d<br/>add d<br/>(merge point, branch: core)\"}}"), std::string::npos)
      << mmd;
  EXPECT_NE(mmd.find("  r0[/\"a<br/>"), std::string::npos);
  EXPECT_NE(mmd.find("  r6([\"f<br/>add f<br/>(head)\"])"), std::string::npos) << mmd;
  EXPECT_NE(mmd.find("#34;quoted#34; #60;message#62;"), std::string::npos) << mmd;
  EXPECT_NE(mmd.find("  m0[\"ghost<br/>(missing)\"]"), std::string::npos);
  EXPECT_NE(mmd.find("  r3 -.-> r7\n"), std::string::npos);
  EXPECT_NE(mmd.find("class r4,r5 duplicate"), std::string::npos) << mmd;
  EXPECT_NE(mmd.find("class m0 missing"), std::string::npos);
  EXPECT_TRUE(std::regex_search(mmd, std::regex("linkStyle \\d+ stroke:#9e9e9e,stroke-dasharray")));
  // Nothing in a label may close its quotes early.
  for (const char* bad : {"\"\"", "\n\""})
    EXPECT_EQ(mmd.find(std::string("<br/>") + bad), std::string::npos);
}

TEST(GraphExport, EmptyHistory) {
  const GraphAnalysis g = analyze({});
  EXPECT_EQ(render_dot(g, {}),
            "digraph revisions {\n  rankdir=TB;\n  fontname=\"Helvetica\";\n  node "
            "[fontname=\"Helvetica\", fontsize=10];\n  edge [color=\"#546e7a\"];\n}\n");
  EXPECT_EQ(render_mermaid(g, {}).rfind("flowchart TB\n", 0), 0u);
}

TEST(GraphExport, GraphvizAcceptsTheDot) {
  // scripts/setup.sh --tests installs Graphviz: without it this is a failure, not a skip.
  ASSERT_EQ(std::system("command -v dot >/dev/null 2>&1"), 0)
      << "Graphviz `dot` is not installed (scripts/setup.sh --tests installs it)";
  const std::vector<Script> scripts = tangled();
  const std::string dot = render_dot(analyze(scripts), scripts, {"title \"x\"", 40});
  std::string tmpl = (fs::temp_directory_path() / "graph-XXXXXX").string();
  const fs::path dir = mkdtemp(tmpl.data());
  std::ofstream(dir / "g.dot") << dot;
  const std::string command = "dot -Tsvg '" + (dir / "g.dot").string() + "' -o '" +
                              (dir / "g.svg").string() + "' 2>'" + (dir / "err").string() + "'";
  const int status = std::system(command.c_str());
  std::ifstream err(dir / "err");
  std::string errors((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  EXPECT_EQ(status, 0) << errors;
  EXPECT_TRUE(errors.empty()) << errors;
  EXPECT_GT(fs::file_size(dir / "g.svg"), 1000u);
  fs::remove_all(dir);
}
