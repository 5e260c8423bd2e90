// `alembic-lsp operations FILE ...`: what each migration's upgrade() and downgrade() do to
// the schema, read statically (analysis/operations.h).
#include <iostream>

#include "analysis/discovery.h"
#include "analysis/operations.h"

#include "server/cli/args.h"
#include "server/cli/commands.h"

namespace alembic::cli {

namespace {

constexpr const char* kOperationsHelp =
    R"(usage: alembic-lsp operations FILE ... [--canonical]

Prints the schema operations (op.* calls) of each migration FILE's upgrade() and
downgrade(), read with tree-sitter without running anything: tables, columns, indexes
and constraints created, altered or dropped, SQL executed, rows inserted. A name built
at run time is shown as <its expression>, never guessed.

options:
  --canonical  one line per operation with every field read (the format the tests
               compare with Python's own ast reading of the same file)
  -h, --help   show this help

A statement that cannot be given to tree-sitter safely (one logical line over 32 KiB,
say) is listed as not read, with its lines and the reason; its operations are unknown.

exit status: 0 printed, 2 usage or I/O error.
)";

const char* body_name(BodyKind body) {
  switch (body) {
    case BodyKind::Missing:
      return "missing";
    case BodyKind::Empty:
      return "empty";
    case BodyKind::Raises:
      return "raises";
    case BodyKind::Statements:
      return "statements";
  }
  return "missing";
}

void print_function(const char* name, const FunctionOperations& f, bool canonical) {
  if (canonical) {
    std::cout << name << "|body=" << body_name(f.body) << "\n";
    for (const Operation& op : f.operations) std::cout << canonical_line(name, op) << "\n";
    for (const UnreadPart& u : f.unread)
      std::cout << name << "|unread|" << lines_of(u.range) << "\n";
    return;
  }
  std::cout << "  " << name << "(): ";
  if (f.body == BodyKind::Missing)
    std::cout << "(not defined)\n";
  else if (f.operations.empty())
    std::cout << "no operations (" << body_name(f.body) << ")\n";
  else
    std::cout << describe_all(f.operations, f.operations.size()) << "\n";
  if (!f.complete()) std::cout << "    " << describe_unread(f.unread, f.unread.size()) << "\n";
}

}  // namespace

int operations_command(const std::vector<std::string>& argv) {
  Args args = parse_args(argv, {{}, {"--help", "-h", "--canonical"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kOperationsHelp;
    return 0;
  }
  if (args.positionals.empty()) throw UsageError("operations needs at least one FILE");
  const bool canonical = args.has("--canonical");
  int status = 0;
  for (const std::string& path : args.positionals) {
    std::string source;
    try {
      source = read_file_bytes(path);
    } catch (const std::exception& e) {
      std::cerr << "alembic-lsp: " << e.what() << "\n";
      status = 2;
      continue;
    }
    const MigrationOperations ops = read_operations(source);
    std::cout << (canonical ? "== " : "") << path << (canonical ? "" : ":") << "\n";
    print_function("upgrade", ops.upgrade, canonical);
    print_function("downgrade", ops.downgrade, canonical);
  }
  return status;
}

}  // namespace alembic::cli
