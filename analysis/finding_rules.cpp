#include "analysis/finding_rules.h"

namespace alembic {

const FindingRule* find_rule(std::string_view code) {
  for (const FindingRule& rule : kFindingRules)
    if (rule.code == code) return &rule;
  return nullptr;
}

}  // namespace alembic
