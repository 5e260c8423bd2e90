#include "server/cli/cli.h"

int main(int argc, char** argv) { return alembic::cli::run(argc, argv); }
