#include "analysis/finding_rules.h"

#include <sstream>

#include "analysis/finding_examples.h"

namespace alembic {

const FindingRule* find_rule(std::string_view code) {
  for (const FindingRule& rule : kFindingRules)
    if (rule.code == code) return &rule;
  return nullptr;
}

namespace {

std::string settings_of(uint8_t bits) {
  std::string out;
  auto add = [&](uint8_t bit, const char* name) {
    if (bits & bit) out += (out.empty() ? "`" : ", `") + std::string(name) + "`";
  };
  add(kSetIgnore, "ignore");
  add(kSetSeverity, "severity");
  add(kSetExpectedHeads, "expected-heads");
  add(kSetAllowMultipleHeads, "allow-multiple-heads");
  return out.empty() ? "none" : out;
}

}  // namespace

std::string rule_page_markdown(const FindingRule& rule) {
  std::ostringstream out;
  out << "# `" << rule.code << "`\n\n"
      << rule.title << "\n\n"
      << "- Default severity: " << severity_name(rule.default_severity) << "\n"
      << "- Settings that change it ([tool.alembic-lsp]): " << settings_of(rule.settings) << "\n"
      << "- Quick fixes in the editor: " << (rule.quick_fix == QuickFix::None ? "no" : "yes")
      << "\n\n## What it means\n\n"
      << rule.full << "\n\n## How to fix\n\n"
      << rule.fix << "\n\n";
  const FindingExample& example = example_of(rule.id);
  out << "## Example\n\n" << example_markdown(example.setup) << "\n";
  if (!example.fixed.empty()) out << "## Fixed\n\n" << example_markdown(example.fixed) << "\n";
  out << "(Generated from analysis/finding_rules.h by tests/unit/analysis_finding_rules_test.cpp;"
         " edit the table, not this page.)\n";
  return out.str();
}

}  // namespace alembic
