// Loading an environment while a visitor works on each migration's whole source, so that
// a command that needs the source (`check --lint all`: the operation findings) does not
// read every file a second time; and the order in which an environment's findings are
// reported.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/project.h"

namespace alembic {

/// Called on a loading worker with a migration's path (as named) and bytes; appends to `out`.
using SourceVisitor = std::function<void(const std::string& path, std::string_view source,
                                         std::vector<Finding>& out)>;

/// load_environment, with `visit` called on each migration read; what it appends goes to
/// `visited`, in the order of the loaded scripts (files that cannot be read are skipped).
LoadedEnvironment load_environment(const Environment& env, const PathNamer& name_path,
                                   const AnalysisOptions& options, unsigned threads,
                                   const SourceVisitor& visit, std::vector<Finding>& visited);

/// The order environment_findings sorts in (stably): path, line, byte, code.
bool finding_before(const Finding& a, const Finding& b);

/// std::stable_sort(findings, finding_before), for tens of thousands of findings: the
/// paths compared once per run of one file, the findings moved once.
void sort_for_report(std::vector<Finding>& findings);

}  // namespace alembic
