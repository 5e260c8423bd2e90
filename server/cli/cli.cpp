#include "server/cli/cli.h"

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "server/cli/args.h"
#include "server/cli/commands.h"

namespace alembic::cli {

namespace {

constexpr const char* kHelp = R"(usage: alembic-lsp [COMMAND] [OPTIONS]

A language server and command-line tool for Alembic migration directories.
It reads migrations statically (tree-sitter); it never imports or runs them.

commands:
  serve     speak the Language Server Protocol over stdio (the default)
  check     report every problem of the revision graph (for CI and pre-commit)
  heads     print the head revisions, as `alembic heads` does
  branches  print the branch points, as `alembic branches` does
  merge     write a merge migration, as `alembic merge` does
  revision  write a new migration, as `alembic revision -m MSG` does
  graph     draw the revision graph (Graphviz DOT or Mermaid)
  operations  print what each migration does to the schema (op.* calls)

Run `alembic-lsp COMMAND --help` for the options of a command.

options:
  -h, --help     show this help
  --version      print the version
)";

}  // namespace

int run(std::vector<std::string> args) {
  try {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
      std::cout << kHelp;
      return 0;
    }
    if (!args.empty() && args[0] == "--version") {
      std::cout << "alembic-lsp " << ALEMBIC_LSP_VERSION << "\n";
      return 0;
    }
    std::string command = args.empty() || args[0].rfind("-", 0) == 0 ? "serve" : args[0];
    std::vector<std::string> rest(args.begin() + (args.empty() || command != args[0] ? 0 : 1),
                                  args.end());
    if (command == "check") return check_command(rest);
    if (command == "serve") return serve_command(rest);
    if (command == "heads") return heads_command(rest);
    if (command == "branches") return branches_command(rest);
    if (command == "merge") return merge_command(rest);
    if (command == "revision") return revision_command(rest);
    if (command == "graph") return graph_command(rest);
    if (command == "operations") return operations_command(rest);
    throw UsageError("unknown command '" + command + "' (try --help)");
  } catch (const UsageError& e) {
    std::cerr << "alembic-lsp: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "alembic-lsp: error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace alembic::cli
