// `alembic-lsp revision [PATH] -m MSG [--head REV] [--branch-label L] [--depends-on REV]`:
// writes the file `alembic revision -m MSG` would write, planned by analysis/revision_plan.h
// exactly as the editor's "New migration" action plans it, created without replacing
// anything.
#include <filesystem>
#include <iostream>

#include "analysis/head_file.h"
#include "analysis/revision_plan.h"
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

constexpr const char* kRevisionHelp =
    R"(usage: alembic-lsp revision [PATH] [-m|--message MSG] [--head REV] [--branch-label LABEL]
                            [--depends-on REV ...] [--rev-id ID] [--name ENV]

Writes a new, empty migration: the file `alembic revision -m MSG` would write, with the
project's script.py.mako, file_template and truncate_slug_length, down_revision the head
it builds on. Nothing is imported or executed, so a revision_environment (env.py run
for every revision) is not honoured; `alembic revision --autogenerate` stays Alembic's
job. Prints the new file's path.

PATH (default: the current directory) is the project directory, its alembic.ini or
pyproject.toml, or the script location.

With one head the new migration builds on it (with none it starts the history). With
several heads --head must choose one; without it nothing is written and the heads are
listed. REV may be a revision id, a unique prefix of at least four characters, a branch
label, `LABEL@head` or `base` (a new root), as in Alembic.

options:
  -m, --message MSG    the migration's message (default: none, as Alembic: "empty message")
  --head REV           the head to build on (needed when there are several)
  --branch-label LABEL a branch label for the new revision
  --depends-on REV     a revision the new one depends on (repeatable)
  --rev-id ID          the new revision id (default: random, like uuid4().hex[-12:])
  --name ENV           the environment to use when PATH holds several
  -h, --help           show this help

The file is created in the environment's version location, never outside it, and never
over an existing file.

exit status: 0 written, 1 refused (several heads and no --head, or --head not a head),
2 usage or I/O error.
)";

// The --head argument as Alembic's get_revisions: exactly one revision, or `base`.
std::string resolve_head(const GraphAnalysis& g, const std::string& arg) {
  if (arg == "base") return arg;
  const std::vector<std::string> ids = resolve_revision_spec(g, arg);
  if (ids.size() != 1)
    throw UsageError("--head " + arg + " names " + std::to_string(ids.size()) +
                     " revisions; a new migration builds on one");
  return ids.front();
}

// A --depends-on argument as generate_revision keeps it: the branch label as written,
// anything else as the full id of the one revision it names.
std::string resolve_dependency(const GraphAnalysis& g, const std::string& arg) {
  const std::vector<std::string> ids = resolve_revision_spec(g, arg);
  if (ids.size() != 1)
    throw UsageError("--depends-on " + arg + " names " + std::to_string(ids.size()) +
                     " revisions; name one");
  const long index = g.find(ids.front());
  if (index >= 0)
    for (const std::string& label : g.revisions[static_cast<size_t>(index)].branch_labels)
      if (label == arg) return arg;
  return ids.front();
}

}  // namespace

int revision_command(const std::vector<std::string>& argv) {
  Args args = parse_args(
      argv, {{"-m", "--message", "--head", "--branch-label", "--depends-on", "--rev-id", "--name"},
             {"--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kRevisionHelp;
    return 0;
  }
  if (args.positionals.size() > 1)
    throw UsageError("revision takes one PATH, got " + std::to_string(args.positionals.size()) +
                     " (quote a message with spaces: -m \"add users\")");
  const std::string path = args.positionals.empty() ? "." : args.positionals.front();

  RevisionOptions options;
  options.message = args.value("--message");
  if (auto m = args.value("-m")) options.message = m;
  const std::optional<std::string> rev_id = args.value("--rev-id");

  // Absolute script paths: the plan compares them with the version locations.
  LoadedEnvironment env = load_chosen_environment(path, args.value("--name"), absolute_path_name);
  warn_if_broken(env);
  if (rev_id) check_rev_id(env.graph, *rev_id);
  if (auto head = args.value("--head")) options.head = resolve_head(env.graph, *head);
  options.branch_label = args.value("--branch-label");
  if (auto it = args.values.find("--depends-on"); it != args.values.end())
    for (const std::string& dep : it->second)
      options.depends_on.push_back(resolve_dependency(env.graph, dep));

  if (rev_id) options.place.new_id = [id = *rev_id] { return id; };
  std::optional<fs::path> taken_path;
  options.place.path_taken = [&taken_path](const fs::path& p) {
    std::error_code ec;
    const bool taken = fs::exists(fs::symlink_status(p, ec));
    if (taken) taken_path = p;
    return taken;
  };
  const std::optional<std::string> mako = read_script_template(env.environment);
  std::string why;
  std::optional<RevisionPlan> plan =
      plan_revision(env.environment, env.scripts, env.graph,
                    mako ? std::optional<std::string_view>(*mako) : std::nullopt, options, &why);
  if (!plan) {
    if (rev_id && taken_path)
      throw std::runtime_error("refusing to overwrite " + display_path(*taken_path));
    std::cerr << "alembic-lsp: " << why << "\n";
    const bool refused = why.find(" heads (") != std::string::npos ||
                         why.find("is not a head revision") != std::string::npos;
    return refused ? 1 : 2;
  }
  if (!plan->template_note.empty())
    std::cerr << "alembic-lsp: warning: using Alembic's default template: " << plan->template_note
              << "\n";
  server::write_new_file(plan->path, plan->content);
  std::cout << display_path(plan->path) << "\n";
  // [tool.alembic-lsp] head-file: the file names the new head (its parent goes).
  std::vector<std::string> parents;
  if (plan->parent) parents.push_back(*plan->parent);
  for (const std::string& written :
       update_head_files(env, heads_after_new_revision(env.graph, plan->revision, parents)))
    std::cerr << "alembic-lsp: updated the head file " << written << "\n";
  return 0;
}

}  // namespace alembic::cli
