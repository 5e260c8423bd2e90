// Planning `alembic merge heads`: parents in Alembic's order, the directory Alembic
// picks, file names from file_template, and never an existing id or path.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "analysis/merge_plan.h"
#include "analysis/parser.h"

using namespace alembic;
namespace fs = std::filesystem;

namespace {

using Ids = std::vector<std::string>;

std::string migration(const std::string& id, const std::string& down,
                      const std::string& extra = "") {
  return "\"\"\"m\n\nRevision ID: " + id + "\n\"\"\"\nrevision = '" + id +
         "'\ndown_revision = " + down + "\n" + extra;
}

struct Project {
  Environment env;
  std::vector<Script> scripts;
  GraphAnalysis graph;

  Project() {
    env.script_location = "/proj/migrations";
    env.version_locations = {"/proj/migrations/versions"};
  }
  void add(const std::string& path, const std::string& text) {
    scripts.push_back({path, parse_migration(text)});
  }
  void analyse() { graph = analyze(scripts); }
};

// a ─┬─ b      (heads b, c; c appears after b in load order)
//    └─ c
Project forked() {
  Project p;
  p.add("/proj/migrations/versions/a.py", migration("a", "None"));
  p.add("/proj/migrations/versions/b.py", migration("b", "'a'"));
  p.add("/proj/migrations/versions/c.py", migration("c", "'a'"));
  p.analyse();
  return p;
}

MergeOptions fixed(Ids ids, std::set<fs::path> taken = {}) {
  MergeOptions o;
  o.now = std::chrono::system_clock::from_time_t(1700000000);
  auto queue = std::make_shared<Ids>(std::move(ids));
  o.new_id = [queue] {
    std::string id = queue->empty() ? std::string() : queue->front();
    if (!queue->empty()) queue->erase(queue->begin());
    return id;
  };
  o.path_taken = [taken](const fs::path& p) { return taken.count(p) > 0; };
  return o;
}

TEST(MergePlan, ParentsAreTheHeadsInLoadOrder) {
  Project p = forked();
  EXPECT_EQ(merge_parents(p.graph), (Ids{"b", "c"}));
}

TEST(MergePlan, ADuplicatedHeadIsNamedOnce) {
  Project p = forked();
  p.add("/proj/migrations/versions/c2.py", migration("c", "'a'"));
  p.analyse();
  EXPECT_EQ(merge_parents(p.graph), (Ids{"b", "c"}));
}

TEST(MergePlan, AnEffectiveHeadIsMergedToo) {
  // b is a head and c's depends_on target: `alembic merge heads` (real heads) would leave
  // b a head; the plan names it.
  Project p;
  p.add("/proj/migrations/versions/a.py", migration("a", "None"));
  p.add("/proj/migrations/versions/b.py", migration("b", "'a'"));
  p.add("/proj/migrations/versions/c.py", migration("c", "'a'", "depends_on = 'b'\n"));
  p.analyse();
  EXPECT_EQ(p.graph.real_heads, Ids{"c"});
  EXPECT_EQ(merge_parents(p.graph), (Ids{"b", "c"}));
}

TEST(MergePlan, WritesWhatAlembicMergeWrites) {
  Project p = forked();
  std::string why;
  auto plan = plan_merge(p.env, p.scripts, p.graph, std::nullopt, fixed({"0123456789ab"}), &why);
  ASSERT_TRUE(plan) << why;
  EXPECT_EQ(plan->revision, "0123456789ab");
  EXPECT_EQ(plan->parents, (Ids{"b", "c"}));
  EXPECT_EQ(plan->directory, fs::path("/proj/migrations/versions"));
  EXPECT_EQ(plan->path, fs::path("/proj/migrations/versions/0123456789ab_merge_heads.py"));
  EXPECT_NE(plan->content.find("\"\"\"merge heads\n"), std::string::npos) << plan->content;
  EXPECT_NE(plan->content.find("Revises: b, c\n"), std::string::npos) << plan->content;
  EXPECT_NE(plan->content.find("= '0123456789ab'\n"), std::string::npos);
  EXPECT_NE(plan->content.find("= ('b', 'c')\n"), std::string::npos) << plan->content;
  EXPECT_TRUE(plan->template_note.empty());

  // The rendered file reads back as a merge of both heads.
  ParsedMigration back = parse_migration(plan->content);
  ASSERT_EQ(back.down_revision.strings.size(), 2u);
  EXPECT_EQ(back.down_revision.strings[1].text, "c");
}

TEST(MergePlan, UsesTheProjectTemplateAndFileTemplate) {
  Project p = forked();
  p.env.file_template = "%%(year)d_%%(rev)s_%%(slug)s";
  const std::string mako =
      "\"\"\"${message}\"\"\"\nrevision = ${repr(up_revision)}\ndown_revision = "
      "${repr(down_revision)}\n";
  auto plan = plan_merge(p.env, p.scripts, p.graph, mako, fixed({"aaaaaaaaaaaa"}));
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->path.filename().string(), "2023_aaaaaaaaaaaa_merge_heads.py");
  EXPECT_EQ(plan->content,
            "\"\"\"merge heads\"\"\"\nrevision = 'aaaaaaaaaaaa'\ndown_revision = ('b', 'c')\n");
}

TEST(MergePlan, NeverReusesAnIdOrAPath) {
  Project p = forked();
  const fs::path taken = "/proj/migrations/versions/111111111111_merge_heads.py";
  auto plan = plan_merge(p.env, p.scripts, p.graph, std::nullopt,
                         fixed({"b", "111111111111", "222222222222"}, {taken}));
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->revision, "222222222222");
}

TEST(MergePlan, NothingToMerge) {
  Project p;
  p.add("/proj/migrations/versions/a.py", migration("a", "None"));
  p.analyse();
  std::string why;
  EXPECT_FALSE(plan_merge(p.env, p.scripts, p.graph, std::nullopt, fixed({"x"}), &why));
  EXPECT_NE(why.find("nothing to merge"), std::string::npos);
}

TEST(MergePlan, SeveralVersionLocationsUseTheFirstHeadsDirectory) {
  Project p;
  p.env.version_locations = {"/proj/migrations/versions", "/proj/plugins/versions"};
  p.add("/proj/migrations/versions/a.py", migration("a", "None"));
  p.add("/proj/plugins/versions/p.py", migration("p", "None", "branch_labels = ('plug',)\n"));
  p.add("/proj/migrations/versions/b.py", migration("b", "'a'"));
  p.analyse();
  ASSERT_EQ(merge_parents(p.graph), (Ids{"p", "b"}));
  auto plan = plan_merge(p.env, p.scripts, p.graph, std::nullopt, fixed({"cccccccccccc"}));
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->directory, fs::path("/proj/plugins/versions"));

  // A head in a subdirectory of a recursive location: that location.
  Project r;
  r.env.version_locations = {"/proj/migrations/versions", "/proj/other"};
  r.env.recursive_version_locations = true;
  r.add("/proj/other/2024/x.py", migration("x", "None"));
  r.add("/proj/migrations/versions/y.py", migration("y", "None"));
  r.analyse();
  auto sub = plan_merge(r.env, r.scripts, r.graph, std::nullopt, fixed({"dddddddddddd"}));
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->directory, fs::path("/proj/other"));
}

TEST(MergePlan, TheFileStaysInItsVersionLocation) {
  Project p = forked();
  p.env.file_template = "../%%(rev)s";
  std::string why;
  EXPECT_FALSE(plan_merge(p.env, p.scripts, p.graph, std::nullopt, fixed({"eeeeeeeeeeee"}), &why));
  EXPECT_NE(why.find("outside"), std::string::npos) << why;

  p.env.file_template = "sub/%%(rev)s";
  EXPECT_FALSE(plan_merge(p.env, p.scripts, p.graph, std::nullopt, fixed({"eeeeeeeeeeee"}), &why));
  EXPECT_NE(why.find("recursive_version_locations"), std::string::npos) << why;
  p.env.recursive_version_locations = true;
  auto plan = plan_merge(p.env, p.scripts, p.graph, std::nullopt, fixed({"eeeeeeeeeeee"}));
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->path, fs::path("/proj/migrations/versions/sub/eeeeeeeeeeee.py"));
}

TEST(MergePlan, ReadsTheProjectsScriptTemplate) {
  const fs::path dir =
      fs::temp_directory_path() / ("merge-plan-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  Environment env;
  env.script_location = dir;
  EXPECT_FALSE(read_script_template(env));
  std::ofstream(dir / "script.py.mako") << "${message}\n";
  EXPECT_EQ(read_script_template(env), std::optional<std::string>("${message}\n"));
  fs::remove_all(dir);
}

}  // namespace
