// The table of finding codes (analysis/finding_rules.h) against everything that depends on
// it: the rule pages under docs/rules/, the README's findings table, settings validation.
// ALEMBIC_LSP_WRITE_RULE_PAGES=1 rewrites the rule pages from the table instead of
// comparing them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "analysis/finding_rules.h"
#include "analysis/findings.h"
#include "analysis/settings.h"

using namespace alembic;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = ALEMBIC_SOURCE_DIR;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The page of a rule, generated from the table.
std::string rule_page(const FindingRule& rule) {
  return rule_page_markdown(rule);
}

}  // namespace

TEST(FindingRules, NamesAreUniqueAndFindable) {
  std::set<std::string_view> names;
  for (const FindingRule& rule : kFindingRules) {
    EXPECT_TRUE(names.insert(rule.code).second) << rule.code;
    EXPECT_EQ(find_rule(rule.code), &rule);
    EXPECT_EQ(rule.rule_page, "docs/rules/" + std::string(rule.code) + ".md");
  }
  EXPECT_EQ(find_rule("no-such-code"), nullptr);
  EXPECT_EQ(codes::kMultipleHeads, "multiple-heads");
  EXPECT_EQ(kConfigWarningCode, "config-warning");
}

TEST(FindingRules, EveryCodeHasItsRulePage) {
  const bool write = std::getenv("ALEMBIC_LSP_WRITE_RULE_PAGES") != nullptr;
  std::set<std::string> expected;
  for (const FindingRule& rule : kFindingRules) {
    const fs::path page = kSource / rule.rule_page;
    expected.insert(page.filename().string());
    if (write) {
      std::ofstream(page, std::ios::binary) << rule_page(rule);
      continue;
    }
    ASSERT_TRUE(fs::exists(page)) << page << " is missing: run this test with "
                                  << "ALEMBIC_LSP_WRITE_RULE_PAGES=1 to write it";
    EXPECT_EQ(read_text(page), rule_page(rule))
        << page << " differs from the table: run this test with ALEMBIC_LSP_WRITE_RULE_PAGES=1";
  }
  for (const auto& entry : fs::directory_iterator(kSource / "docs" / "rules"))
    EXPECT_TRUE(expected.contains(entry.path().filename().string()))
        << entry.path() << " is the page of no finding code";
}

// The README's table under "## Findings": one row per code, whose severity column starts
// with the code's default severity, and no row for a code the table does not have.
TEST(FindingRules, ReadmeTableMatches) {
  const std::string readme = read_text(kSource / "README.md");
  const size_t start = readme.find("\n## Findings\n");
  ASSERT_NE(start, std::string::npos) << "README.md has no '## Findings' section";
  const size_t end = readme.find("\n## ", start + 1);
  std::istringstream section(readme.substr(start, end - start));
  const std::regex row(R"(^\| `([a-z-]+)` \| ([a-z]+)[^|]*\|)");
  std::map<std::string, std::string> rows;
  for (std::string line; std::getline(section, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    EXPECT_TRUE(rows.emplace(m[1], m[2]).second) << "two README rows for " << m[1];
    EXPECT_NE(find_rule(m[1].str()), nullptr) << "README row for unknown code " << m[1];
  }
  for (const FindingRule& rule : kFindingRules) {
    auto it = rows.find(std::string(rule.code));
    ASSERT_NE(it, rows.end()) << "README.md's findings table has no row for " << rule.code;
    EXPECT_EQ(it->second, severity_name(rule.default_severity)) << rule.code;
  }
}

TEST(FindingRules, SettingsAcceptExactlyTheTablesCodes) {
  for (const FindingRule& rule : kFindingRules) {
    const std::string code(rule.code);
    Settings s = parse_settings(
        "[tool.alembic-lsp]\nignore = [\"" + code + "\"]\nseverity = { " + code + " = \"hint\" }\n",
        "pyproject.toml");
    EXPECT_TRUE(s.problems.empty()) << code;
    EXPECT_TRUE(s.ignore.contains(code));
  }
  Settings bad =
      parse_settings("[tool.alembic-lsp]\nignore = [\"multiple-head\"]\n", "pyproject.toml");
  ASSERT_EQ(bad.problems.size(), 1u);
  EXPECT_NE(full_message(bad.problems[0]).find("unknown finding code 'multiple-head'"),
            std::string::npos);
}
