// The pieces of text the parser's edit tests insert: whole statements first, then string
// pieces and the characters that change how a scanner reads the rest (quotes, brackets,
// '\'). Shared by the parser fuzz target (tests/fuzz/parser_fuzz.cpp: an edit script picks
// a snippet by its index) and the parser property test (analysis_parser_property_test.cpp:
// seeded random edits, its line edits take one of the first five). Each builds its own
// list around these with edit_snippets(); since the fuzz corpus's edit scripts and the
// property test's seed index into those lists, adding to the shared part or reordering it
// changes what every stored input means: add new snippets to a user's own part instead.
#pragma once

#include <string>
#include <vector>

namespace alembic::testing {

inline const std::vector<std::string>& python_edit_snippets() {
  static const std::vector<std::string> snippets = {"revision = 'new'\n",
                                                    "down_revision = ('p1', 'p2')\n",
                                                    "X = 'xv'\n",
                                                    "depends_on = X\n",
                                                    "branch_labels = None\n",
                                                    "    ",
                                                    "\n",
                                                    "'",
                                                    "\"",
                                                    "\"\"\"",
                                                    "'''",
                                                    "(",
                                                    ")",
                                                    "[",
                                                    "]",
                                                    ",",
                                                    "#",
                                                    "\\\n",
                                                    ";",
                                                    "=",
                                                    ": str",
                                                    "None",
                                                    " + ",
                                                    "abc",
                                                    "r",
                                                    "b",
                                                    "f",
                                                    "\\",
                                                    "\r\n"};
  return snippets;
}

/// `before`, then python_edit_snippets(), then `after`, in that order.
inline std::vector<std::string> edit_snippets(std::vector<std::string> before,
                                              const std::vector<std::string>& after) {
  const auto& shared = python_edit_snippets();
  before.insert(before.end(), shared.begin(), shared.end());
  before.insert(before.end(), after.begin(), after.end());
  return before;
}

}  // namespace alembic::testing
