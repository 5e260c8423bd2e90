// A small in-memory migrations directory for the edit planners' tests: texts by path,
// the graph built from them, and applying an EditPlan (then analysing again).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "analysis/graph.h"
#include "analysis/parser.h"
#include "analysis/source_edit.h"

namespace alembic::testing {

/// A migration as Alembic 1.8's template writes it; `down` is Python source.
inline std::string migration(const std::string& id, const std::string& down,
                             const std::string& revises, const std::string& extra = "",
                             char quote = '\'') {
  const std::string q(1, quote);
  return "\"\"\"message of " + id + "\n\nRevision ID: " + id + "\nRevises: " + revises +
         "\nCreate Date: 2024-01-02 03:04:05.000006\n\n\"\"\"\n"
         "from alembic import op\n\n"
         "revision = " +
         q + id + q +
         "\n"
         "down_revision = " +
         down + "\n" + extra + "\n\ndef upgrade():\n    pass\n";
}

struct Project {
  std::vector<std::string> order;           ///< paths in load order
  std::map<std::string, std::string> text;  ///< path -> text
  std::vector<Script> scripts;
  GraphAnalysis graph;

  static std::string path(const std::string& file) { return "/proj/versions/" + file; }

  void add(const std::string& file, std::string source) {
    order.push_back(path(file));
    text[path(file)] = std::move(source);
  }
  void analyse() {
    scripts.clear();
    for (const std::string& p : order) scripts.push_back({p, parse_migration(text[p])});
    graph = analyze(scripts);
  }
  TextReader reader() const {
    return [this](const std::string& p) {
      auto it = text.find(p);
      return it == text.end() ? std::string() : it->second;
    };
  }
  const Script& script(const std::string& file) const {
    for (const Script& s : scripts)
      if (s.path == path(file)) return s;
    ADD_FAILURE() << "no script " << file;
    return scripts.front();
  }
  size_t revision(const std::string& id) const {
    const long i = graph.find(id);
    EXPECT_GE(i, 0) << id;
    return static_cast<size_t>(i);
  }
  /// Applies the plan (edits from the back so offsets stay valid), renames, re-analyses.
  void apply(const EditPlan& plan) {
    std::vector<TextEdit> edits = plan.edits;
    std::sort(edits.begin(), edits.end(),
              [](const TextEdit& a, const TextEdit& b) { return a.start > b.start; });
    for (const TextEdit& e : edits) {
      ASSERT_TRUE(text.contains(e.path)) << e.path;
      std::string& t = text[e.path];
      ASSERT_LE(e.end, t.size());
      t.replace(e.start, e.end - e.start, e.new_text);
    }
    for (const FileRename& r : plan.renames) {
      ASSERT_TRUE(text.contains(r.from));
      text[r.to] = text[r.from];
      text.erase(r.from);
      std::replace(order.begin(), order.end(), r.from, r.to);
    }
    analyse();
  }
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const Finding& f : graph.findings) out.push_back(f.code);
    return out;
  }
};

}  // namespace alembic::testing
