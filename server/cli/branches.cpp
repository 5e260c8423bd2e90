// `alembic-lsp branches [PATH] [--verbose] [--name ENV]`: what `alembic branches` prints.
#include <algorithm>
#include <iostream>
#include <queue>

#include "server/cli/args.h"
#include "server/cli/check_report.h"
#include "server/cli/commands.h"
#include "server/cli/revision_format.h"
#include "server/cli/select.h"

namespace alembic::cli {

namespace {

constexpr const char* kBranchesHelp =
    R"(usage: alembic-lsp branches [PATH] [-v|--verbose] [--name ENV]

Prints every branch point of an Alembic environment in the format of `alembic branches`:
the branch point, then one `-> <child>` line per revision that revises it, then a blank
line. Nothing is imported or executed.

options:
  -v, --verbose   Alembic's verbose entry for each branch point, and each child's message
  --name ENV      the environment to use when PATH holds several
  -h, --help      show this help

Differences from Alembic 1.8.1: branch points come newest first (a topological order,
ties in load order) and children are sorted; Alembic walks its own order and prints the
children of a set, whose order changes from run to run.

exit status: 0 printed, 2 usage or I/O error.
)";

// Revisions newest first: each after every revision that revises or depends on it,
// ties in load order (Kahn's algorithm from the heads down). Cycles go last.
std::vector<size_t> newest_first(const GraphAnalysis& g) {
  const size_t n = g.revisions.size();
  std::vector<size_t> pending(n, 0);
  std::vector<std::vector<size_t>> parents(n);
  for (size_t i = 0; i < n; ++i) {
    if (g.find(g.revisions[i].id) != static_cast<long>(i)) continue;  // stale duplicate
    std::vector<std::string> ups = g.revisions[i].down_revisions;
    ups.insert(ups.end(), g.revisions[i].depends_on.begin(), g.revisions[i].depends_on.end());
    for (const std::string& up : ups) {
      const long p = g.find(up);
      if (p < 0 || static_cast<size_t>(p) == i) continue;
      parents[i].push_back(static_cast<size_t>(p));
      ++pending[static_cast<size_t>(p)];
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i)
    if (pending[i] == 0) ready.push(i);
  std::vector<size_t> order;
  std::vector<bool> done(n, false);
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    done[i] = true;
    for (size_t p : parents[i])
      if (--pending[p] == 0) ready.push(p);
  }
  for (size_t i = 0; i < n; ++i)
    if (!done[i]) order.push_back(i);
  return order;
}

// Python's len() of a str: UTF-8 lead bytes.
size_t code_points(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

int branches_command(const std::vector<std::string>& argv) {
  Args args = parse_args(argv, {{"--name"}, {"--help", "-h", "--verbose", "-v"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kBranchesHelp;
    return 0;
  }
  if (args.positionals.size() > 1)
    throw UsageError("branches takes one PATH, got " + std::to_string(args.positionals.size()));
  const std::string path = args.positionals.empty() ? "." : args.positionals[0];
  LoadedEnvironment env = load_chosen_environment(path, args.value("--name"), absolute_path_name);
  const bool verbose = args.has("--verbose") || args.has("-v");
  const GraphAnalysis& g = env.graph;
  warn_if_broken(env);

  for (size_t i : newest_first(g)) {
    const Revision& r = g.revisions[i];
    if (r.children.size() < 2 || g.find(r.id) != static_cast<long>(i)) continue;
    CmdFormat point;
    point.verbose = verbose;
    point.include_branches = true;
    std::cout << cmd_format(env, i, point) << "\n";
    std::vector<std::string> children = r.children;
    std::sort(children.begin(), children.end());
    CmdFormat child;
    child.include_branches = true;
    child.include_doc = verbose;
    for (size_t k = 0; k < children.size(); ++k) {
      const long c = g.find(children[k]);
      if (c < 0) continue;
      std::cout << (k ? "\n" : "") << std::string(code_points(r.id), ' ') << " -> "
                << cmd_format(env, static_cast<size_t>(c), child);
    }
    std::cout << "\n\n";
  }
  return 0;
}

}  // namespace alembic::cli
