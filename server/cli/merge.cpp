// `alembic-lsp merge [PATH] [-m MSG] [--rev-id ID] [--name ENV] [REV ...]`: writes the
// file `alembic merge` would write, planned by analysis/merge_plan.h exactly as the
// editor's "Merge heads" code action plans it, and created without replacing anything.
#include <filesystem>
#include <iostream>

#include "analysis/findings.h"
#include "analysis/head_file.h"
#include "analysis/merge.h"
#include "analysis/merge_plan.h"
#include "platform/path_text.h"
#include "server/cli/args.h"
#include "server/cli/check_report.h"
#include "server/cli/commands.h"
#include "server/cli/head_file_update.h"
#include "server/cli/revision_spec.h"
#include "server/cli/select.h"
#include "server/new_file.h"

namespace alembic::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMergeHelp =
    R"(usage: alembic-lsp merge [PATH] [-m|--message MSG] [--rev-id ID] [--name ENV] [REV ...]

Writes a new merge migration, the file `alembic merge -m MSG heads` (or `alembic merge
-m MSG REV ...`) would write: the project's script.py.mako rendered with the new id,
the merged revisions as down_revision, and file_template / truncate_slug_length from
the configuration. Nothing is imported or executed. Prints the new file's path.

PATH (default: the current directory) is taken as a path when it exists on disk or
contains '/'; otherwise the first argument is a revision.

REV may be a revision id, a unique prefix of at least four characters, a branch label,
`heads`, `head`, `LABEL@head` or `LABEL@heads`, as in Alembic; each must be a head.
Without REV every head is merged (as the editor's code action does; `heads` is Alembic's
expansion, which leaves out heads that are only depends_on targets).

options:
  -m, --message MSG  the migration's message (default: none, as Alembic: "empty message")
  --rev-id ID        the new revision id (default: random, like uuid4().hex[-12:])
  --name ENV         the environment to use when PATH holds several
  -h, --help         show this help

The file is created in the environment's version location, never outside it, and never
over an existing file. With `head-file` in [tool.alembic-lsp], the head file is rewritten
to name the new merge (this resolves a git conflict in it).

exit status: 0 written, 1 nothing to merge (fewer than two heads), 2 usage or I/O error.
)";

std::vector<std::string> resolve_all(const GraphAnalysis& g, const std::vector<std::string>& args) {
  std::vector<std::string> parents;
  for (const auto& arg : args) {
    std::vector<std::string> ids = resolve_revision_spec(g, arg);
    parents.insert(parents.end(), ids.begin(), ids.end());
  }
  for (size_t i = 0; i < parents.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (parents[i] == parents[j]) throw UsageError("Duplicate head revisions specified");
  for (const auto& id : parents) {
    const long i = g.find(id);
    if (i >= 0 && !g.revisions[static_cast<size_t>(i)].children.empty())
      throw UsageError("Revision " + id + " is not a head revision; a merge joins heads");
  }
  return parents;
}

}  // namespace

int merge_command(const std::vector<std::string>& argv) {
  Args args = parse_args(argv, {{"-m", "--message", "--rev-id", "--name"}, {"--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kMergeHelp;
    return 0;
  }
  std::string path = ".";
  std::vector<std::string> revisions = args.positionals;
  if (!revisions.empty()) {
    std::error_code ec;
    const std::string& first = revisions.front();
    if (first.find('/') != std::string::npos || fs::exists(platform::utf8_path(first), ec)) {
      path = first;
      revisions.erase(revisions.begin());
    }
  }
  std::optional<std::string> message = args.value("--message");
  if (auto m = args.value("-m")) message = m;
  const std::optional<std::string> rev_id = args.value("--rev-id");

  // Absolute script paths: the plan compares them with the version locations.
  LoadedEnvironment env = load_chosen_environment(path, args.value("--name"), absolute_path_name);
  warn_if_broken(env);
  if (rev_id) check_rev_id(env.graph, *rev_id);

  // The plan joins graph.heads; naming revisions narrows that list, in the order given.
  GraphAnalysis view = env.graph;
  if (!revisions.empty()) {
    view.heads = resolve_all(env.graph, revisions);
    if (view.heads.size() < 2) {
      std::cerr << "alembic-lsp: there is nothing to merge: the revisions given name "
                << view.heads.size() << " head\n";
      return 1;
    }
  }

  MergeOptions options;
  options.message = message.value_or("");
  if (rev_id) options.new_id = [id = *rev_id] { return id; };
  std::optional<fs::path> taken_path;
  options.path_taken = [&taken_path](const fs::path& p) {
    std::error_code ec;
    const bool taken = fs::exists(fs::symlink_status(p, ec));
    if (taken) taken_path = p;
    return taken;
  };
  const std::optional<std::string> mako = read_script_template(env.environment);
  std::string why;
  std::optional<MergePlan> plan =
      plan_merge(env.environment, env.scripts, view,
                 mako ? std::optional<std::string_view>(*mako) : std::nullopt, options, &why);
  if (!plan) {
    if (rev_id && taken_path)
      throw std::runtime_error("refusing to overwrite " + display_path(*taken_path));
    std::cerr << "alembic-lsp: " << why << "\n";
    return why.rfind("there is nothing to merge", 0) == 0 ? 1 : 2;
  }
  if (!plan->template_note.empty())
    std::cerr << "alembic-lsp: warning: using Alembic's default template: " << plan->template_note
              << "\n";
  server::write_new_file(plan->path, plan->content);
  std::cout << display_path(plan->path) << "\n";
  // [tool.alembic-lsp] head-file: the file names the merge now (the merged heads go).
  for (const std::string& written :
       update_head_files(env, heads_after_new_revision(env.graph, plan->revision, plan->parents)))
    std::cerr << "alembic-lsp: updated the head file " << written << "\n";
  return 0;
}

}  // namespace alembic::cli
