// `alembic-lsp heads [PATH] [--resolve-dependencies] [--verbose] [--name ENV]`: what
// `alembic heads` prints, without importing anything.
#include <iostream>

#include "server/cli/args.h"
#include "server/cli/check_report.h"
#include "server/cli/commands.h"
#include "server/cli/revision_format.h"
#include "server/cli/select.h"

namespace alembic::cli {

namespace {

constexpr const char* kHeadsHelp =
    R"(usage: alembic-lsp heads [PATH] [--resolve-dependencies] [-v|--verbose] [--name ENV]

Prints the head revisions of an Alembic environment in the format of `alembic heads`:
one line per head, `<revision> (<branch labels>) (head)`, or `(effective head)` for a
head that another revision names in depends_on. Nothing is imported or executed.

PATH is a project root (alembic.ini or pyproject.toml [tool.alembic]), a config file or
a versions directory; default: the current directory.

options:
  --resolve-dependencies  treat depends_on as down revisions (the heads `alembic upgrade
                          heads` targets): effective heads are left out
  -v, --verbose           Alembic's verbose entry for each head (Rev, Parent, Path, docstring)
  --name ENV              the environment to use when PATH holds several
  -h, --help              show this help

Differences from Alembic 1.8.1: heads are listed in load order (file names sorted, as
Alembic 1.10+ does; 1.8.1 uses the directory's listing order), and several branch
labels are sorted (Alembic prints a set, in an order that changes from run to run).

exit status: 0 printed, 2 usage or I/O error.
)";

}  // namespace

int heads_command(const std::vector<std::string>& argv) {
  Args args =
      parse_args(argv, {{"--name"}, {"--help", "-h", "--resolve-dependencies", "--verbose", "-v"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kHeadsHelp;
    return 0;
  }
  if (args.positionals.size() > 1)
    throw UsageError("heads takes one PATH, got " + std::to_string(args.positionals.size()));
  const std::string path = args.positionals.empty() ? "." : args.positionals[0];
  LoadedEnvironment env = load_chosen_environment(path, args.value("--name"), absolute_path_name);

  warn_if_broken(env);
  CmdFormat format;
  format.verbose = args.has("--verbose") || args.has("-v");
  format.include_branches = true;
  format.tree_indicators = false;
  // Alembic resolves each id through its revision map: a duplicated id is its last copy.
  const auto& ids = args.has("--resolve-dependencies") ? env.graph.real_heads : env.graph.heads;
  for (const std::string& id : ids) {
    const long index = env.graph.find(id);
    if (index < 0) continue;
    std::cout << cmd_format(env, static_cast<size_t>(index), format) << "\n";
  }
  return 0;
}

}  // namespace alembic::cli
