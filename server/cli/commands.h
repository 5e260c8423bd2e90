// The subcommands of the command line, each taking its own arguments (after the name).
#pragma once

#include <string>
#include <vector>

namespace alembic::cli {

int check_command(const std::vector<std::string>& args);
int serve_command(const std::vector<std::string>& args);
int heads_command(const std::vector<std::string>& args);
int branches_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int revision_command(const std::vector<std::string>& args);
int graph_command(const std::vector<std::string>& args);
int operations_command(const std::vector<std::string>& args);

}  // namespace alembic::cli
