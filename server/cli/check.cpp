// `alembic-lsp check [PATH ...] [--format text|json|github|sarif]`: the CI gate; and
// `check --explain CODE`, a finding code's rule page.
#include <iostream>

#include "analysis/finding_rules.h"

#include "server/cli/args.h"
#include "server/cli/baseline.h"
#include "server/cli/check_filter.h"
#include "server/cli/check_report.h"
#include "server/cli/commands.h"
#include "server/cli/load.h"
#include "server/cli/report_formats.h"
#include "server/rule_pages.h"

namespace alembic::cli {

namespace {

constexpr const char* kCheckHelp =
    R"(usage: alembic-lsp check [PATH ...] [--format text|json|github|sarif|gitlab] [--base GIT_REF]
                         [--lint all] [--no-history] [-v|--verbose] [--rules-url URL]
       alembic-lsp check --explain CODE

Reads every Alembic environment under each PATH (a project root with alembic.ini or
pyproject.toml [tool.alembic], a config file, a versions directory, or a monorepo root;
default: the current directory) without running any Python, and reports every problem
of its revision graph: multiple heads, missing parents, duplicate ids, cycles,
unexpected bases, branch-label conflicts, stale docstring headers.

options:
  --format FORMAT  text (default), json, github (GitHub Actions annotations),
                   sarif (SARIF 2.1.0, for code scanning) or gitlab (GitLab Code
                   Quality report)
  -v, --verbose    text: under each finding's first line, its consequence and fix and
                   the related places (other heads, the other copy, ...)
  --explain CODE   print the rule page of finding CODE (what it means, why Alembic
                   cares, how to fix it) and exit
  --rules-url URL  link the rule pages at URL/CODE.md (SARIF helpUri) instead of the
                   pages installed with alembic-lsp (also: ALEMBIC_LSP_RULES_URL)
  --base GIT_REF   report only the problems the changes since GIT_REF introduced: the
                   migrations are also read as they are at GIT_REF (from git, nothing is
                   checked out) and a problem already present there is left out.
                   Configuration and file-system problems are always reported. The
                   migrations changed since GIT_REF are also checked for unsafe schema
                   operations (see --lint).
  --lint all       check every migration's upgrade() and downgrade() for unsafe schema
                   operations (NOT NULL without default, blocking index, type change,
                   drop, rename, irreversible downgrade ...); without it only the
                   migrations changed since --base are, or none. branch-conflict (two
                   heads' branches change one table) is always reported, unless the
                   setting lint = "off"
  --no-history     do not look missing revisions up in git (text and json reports
                   otherwise say which commit deleted or renamed the file that defined
                   one, or on which branches it exists, and which commit deleted the
                   merge migration that joined today's heads)
  -h, --help       show this help

settings: [tool.alembic-lsp] in the pyproject.toml of PATH or its nearest parent:
  expected-heads = 2              (or a table: environment name = number of heads)
  allow-multiple-heads = true
  ignore = ["header-mismatch"]
  severity = { unresolved-value = "info" }   (error, warning, info, hint or off)
  version-locations = { migrations = ["migrations/versions/expand", "..."] }
                                  (for projects that set version locations in Python)
  dialect = "postgresql"          (the database, when alembic.ini's sqlalchemy.url
                                  is not a literal)
  head-file = "migrations/HEAD"   (a committed file naming the head, so parallel
                                  migrations conflict in git: head-file-mismatch)

exit status: 0 no error-severity finding, 1 at least one, 2 usage or I/O error.
)";

// `check --explain CODE`: the rule page, or the list of codes for an unknown one.
int explain_code(const std::string& code) {
  if (const FindingRule* rule = find_rule(code)) {
    std::cout << rule_page_markdown(*rule);
    return 0;
  }
  std::cerr << "alembic-lsp: unknown finding code '" << code << "'; the codes are:\n";
  for (const FindingRule& r : kFindingRules) std::cerr << "  " << r.code << "  " << r.title << "\n";
  return 2;
}

bool has_errors(const std::vector<LoadedEnvironment>& envs) {
  for (const auto& env : envs)
    for (const auto& f : all_findings(env))
      if (f.severity == Severity::Error) return true;
  return false;
}

}  // namespace

int check_command(const std::vector<std::string>& argv) {
  Args args = parse_args(argv, {{"--format", "--base", "--explain", "--rules-url", "--lint"},
                                {"--help", "-h", "--no-history", "--verbose", "-v"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kCheckHelp;
    return 0;
  }
  if (auto code = args.value("--explain")) return explain_code(*code);
  if (auto url = args.value("--rules-url")) server::set_rules_base_url(*url);
  std::string format = args.value("--format").value_or("text");
  if (format != "text" && format != "json" && format != "github" && format != "sarif" &&
      format != "gitlab") {
    throw UsageError("unknown --format '" + format +
                     "' (expected text, json, github, sarif or gitlab)");
  }
  std::vector<std::string> paths = args.positionals;
  if (paths.empty()) paths.push_back(".");

  CheckOptions options;
  options.base_ref = args.value("--base");
  if (auto lint = args.value("--lint")) {
    if (*lint != "all" && *lint != "changed")
      throw UsageError("unknown --lint '" + *lint + "' (expected all, or changed with --base)");
    options.lint_all = *lint == "all";
  }
  LoadResult loaded;
  try {
    loaded = load_and_filter(paths, options);
  } catch (const BaselineError& e) {
    std::cerr << "alembic-lsp: " << e.what() << "\n";
    return 2;
  }
  for (const auto& e : loaded.fatal_errors) std::cerr << "alembic-lsp: " << e << "\n";

  std::vector<EnvironmentHistory> history;
  if (!args.has("--no-history") && (format == "json" || format == "text")) {
    history = look_up_history(loaded.environments);
    note_deleted_merges(loaded.environments);
  }
  if (format == "json") {
    std::cout << json_report(loaded.environments, &history)
                     .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else if (format == "github") {
    write_github_report(std::cout, loaded.environments);
  } else if (format == "sarif") {
    std::cout << sarif_report(loaded.environments).dump(2) << "\n";
  } else if (format == "gitlab") {
    std::cout << gitlab_report(loaded.environments).dump(2) << "\n";
  } else {
    write_text_report(std::cout, loaded.environments, &history,
                      args.has("--verbose") || args.has("-v"));
  }
  if (!loaded.fatal_errors.empty()) return 2;
  return has_errors(loaded.environments) ? 1 : 0;
}

}  // namespace alembic::cli
