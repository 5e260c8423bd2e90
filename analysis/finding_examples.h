// A small example project for each finding code, and the same project fixed: the "Example"
// section of the rule pages (docs/rules/CODE.md, `check --explain CODE`).
// tests/e2e/test_rule_examples.py writes each example into a project, checks that `check`
// reports the code, applies the fix and checks that the code (and any error or warning) is
// gone, so every page's example is true.
#pragma once

#include <string_view>

#include "analysis/finding_rules.h"

namespace alembic {

/// Files are given as blocks: a line "=== PATH" followed by the file's text, or a line
/// "--- PATH" for a file the fix deletes. Paths are relative to the project root; the
/// project has `alembic.ini` with `script_location = migrations` unless a block replaces it.
struct FindingExample {
  std::string_view setup;  ///< the project as it is, or prose when files cannot show it
  std::string_view fixed;  ///< the blocks that fix it (empty when `setup` is prose)
};

/// The example of a code (every code has one).
const FindingExample& example_of(Code code);

/// The example in Markdown: each block as a fenced code block under its path.
std::string example_markdown(std::string_view blocks);

}  // namespace alembic
