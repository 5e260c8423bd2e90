// The command line: `alembic-lsp [serve|check|heads|branches|merge|graph] ...`.
#pragma once

#include <string>
#include <vector>

namespace alembic::cli {

/// Runs the command line (`args`: the arguments after the program's name, UTF-8); returns
/// the process exit code (0 clean, 1 findings, 2 usage/I-O error).
int run(std::vector<std::string> args);

}  // namespace alembic::cli
