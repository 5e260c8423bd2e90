// The command line: `alembic-lsp [serve|check|heads|branches|merge|graph] ...`.
#pragma once

namespace alembic::cli {

/// Runs the command line; returns the process exit code (0 clean, 1 findings, 2 usage/I-O error).
int run(int argc, char** argv);

}  // namespace alembic::cli
