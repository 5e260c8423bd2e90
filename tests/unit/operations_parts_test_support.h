// Helpers of the tests of operations read in parts (analysis_operations_parts_test.cpp,
// analysis_operations_unread_test.cpp): the whole tree's reading to compare with, and
// checks of a plan's parts.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <utility>

#include "analysis/operations.h"
#include "analysis/operations_parts.h"
#include "analysis/ts_python.h"

namespace alembic {

// Failures print the canonical lines, ranges and unread parts, not bytes.
inline void PrintTo(const MigrationOperations& ops, std::ostream* os) {
  for (auto [name, f] :
       {std::pair{"upgrade", &ops.upgrade}, std::pair{"downgrade", &ops.downgrade}}) {
    *os << "\n"
        << name << " body=" << static_cast<int>(f->body) << " name@" << f->name_range.start_byte;
    for (const Operation& op : f->operations)
      *os << "\n  " << canonical_line(name, op) << " @" << op.range.start_byte << "-"
          << op.range.end_byte << " " << op.range.start_line << ":" << op.range.start_column;
    if (!f->complete()) *os << "\n  " << describe_unread(f->unread);
  }
}
}  // namespace alembic

namespace parts_test {

using namespace alembic;

inline MigrationOperations whole(const std::string& src) {
  return detail::read_operations_tree(src, 0);
}

inline MigrationOperations in_parts(const std::string& src, size_t limit) {
  return detail::read_operations_tree(src, limit);
}

// Included bytes of each part of the plan: none over the limit, and together no more
// than the file (the work tree-sitter is given is linear in the file's size).
inline void expect_bounded(const parts::Plan& plan, const std::string& src, size_t limit) {
  size_t total = 0;
  for (const parts::PlannedPart& part : plan.parts) {
    const std::vector<TSRange>& ranges = part.ranges;
    size_t bytes = 0;
    uint32_t last_end = 0;
    for (const TSRange& r : ranges) {
      EXPECT_GE(r.start_byte, last_end);  // ordered, disjoint
      EXPECT_LT(r.start_byte, r.end_byte);
      bytes += r.end_byte - r.start_byte;
      last_end = r.end_byte;
    }
    EXPECT_LE(bytes, limit);
    total += bytes;
  }
  EXPECT_LE(total, src.size() + plan.parts.size() * limit / 2);
}

// Each part of a valid Python file is valid Python to tree-sitter: no ERROR node, so no
// statement is lost to error recovery.
inline void expect_parts_parse(const parts::Plan& plan, const std::string& src) {
  for (const parts::PlannedPart& part : plan.parts) {
    ts::Tree tree = ts::parse_ranges(src, part.ranges);
    ASSERT_TRUE(tree);
    EXPECT_FALSE(ts_node_has_error(ts_tree_root_node(tree.get())))
        << "part from byte " << part.ranges.front().start_byte;
  }
}

}  // namespace parts_test
