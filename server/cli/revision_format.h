// Alembic's one-line and verbose forms of a revision (Script.cmd_format, _head_only and
// log_entry in alembic/script/base.py), as `alembic heads` and `alembic branches` print them.
#pragma once

#include <string>

#include "analysis/project.h"

namespace alembic::cli {

struct CmdFormat {
  bool verbose = false;           ///< log_entry instead of the one-line form
  bool include_branches = false;  ///< " (label, ...)" after the id
  bool include_doc = false;       ///< ", <first paragraph of the docstring>"
  bool tree_indicators = true;    ///< " (branchpoint)", " (mergepoint)"
};

/// The revision at `index` of env.graph.revisions in Alembic's cmd_format. Alembic looks
/// ids up in its revision map, where a duplicated id is its last loaded copy: callers
/// pass that copy (GraphAnalysis::find). Branch labels are sorted (Alembic prints a
/// Python set, whose order changes from run to run).
std::string cmd_format(const LoadedEnvironment& env, size_t index, const CmdFormat& format);

/// The module docstring stripped, as Script.longdoc ("" when there is none).
std::string long_doc(const Script& script);

}  // namespace alembic::cli
