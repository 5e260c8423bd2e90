// `alembic-lsp check [PATH ...] [--format text|json]`: the CI gate.
#include <iostream>

#include "server/cli/args.h"
#include "server/cli/check_report.h"
#include "server/cli/commands.h"
#include "server/cli/load.h"

namespace alembic::cli {

namespace {

constexpr const char* kCheckHelp = R"(usage: alembic-lsp check [PATH ...] [--format text|json]

Reads every Alembic environment under each PATH (a project root with alembic.ini or
pyproject.toml [tool.alembic], a config file, a versions directory, or a monorepo root;
default: the current directory) without running any Python, and reports every problem
of its revision graph: multiple heads, missing parents, duplicate ids, cycles,
unexpected bases, branch-label conflicts, stale docstring headers.

options:
  --format text|json   output format (default: text)
  -h, --help           show this help

exit status: 0 no error-severity finding, 1 at least one, 2 usage or I/O error.
)";

bool has_errors(const std::vector<LoadedEnvironment>& envs) {
  for (const auto& env : envs)
    for (const auto& f : all_findings(env))
      if (f.severity == Severity::Error) return true;
  return false;
}

}  // namespace

int check_command(const std::vector<std::string>& argv) {
  Args args = parse_args(argv, {{"--format"}, {"--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kCheckHelp;
    return 0;
  }
  std::string format = args.value("--format").value_or("text");
  if (format != "text" && format != "json") {
    throw UsageError("unknown --format '" + format + "' (expected text or json)");
  }
  std::vector<std::string> paths = args.positionals;
  if (paths.empty()) paths.push_back(".");

  LoadResult loaded = load_paths(paths);
  for (const auto& e : loaded.fatal_errors) std::cerr << "alembic-lsp: " << e << "\n";

  if (format == "json") {
    std::cout << json_report(loaded.environments).dump(2) << "\n";
  } else {
    write_text_report(std::cout, loaded.environments);
  }
  if (!loaded.fatal_errors.empty()) return 2;
  return has_errors(loaded.environments) ? 1 : 0;
}

}  // namespace alembic::cli
