// Missing parents that do exist, but outside the environment that needs them: in another
// environment's version locations, or in a folder nested below a version location that
// the environment does not read. The missing-revision finding then says where the file
// is, which is the actual fix, instead of leaving git history to guess at a deletion.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/discovery.h"
#include "analysis/graph.h"
#include "analysis/project.h"

namespace alembic {

/// The related-information message that marks a missing-revision finding as "defined
/// outside this environment" (history lookups skip such findings).
inline constexpr std::string_view kDefinedOutside = "defined here, outside this environment";

/// Where each revision id is defined: file path (as named) and environment name.
class RevisionHomes {
 public:
  /// Records the revisions of `scripts` (read by `env`), and of the migration files in
  /// `env.unread_folders` (read and parsed here; their paths named by `name_path`).
  void add(const Environment& env, const std::vector<Script>& scripts, const PathNamer& name_path);

  /// For each missing-revision finding of `env` whose missing id is defined by a file
  /// `env` does not read, the message says so with the file, and a related location
  /// points at it.
  void annotate(const Environment& env, const std::vector<Script>& scripts,
                std::vector<Finding>& findings) const;

 private:
  struct Home {
    std::string path;
    std::string environment;  ///< empty: an unread folder of the environment itself
    SourceRange range;
  };
  std::unordered_map<std::string, std::vector<Home>> homes_;
};

/// True when `f` was annotated by RevisionHomes::annotate.
bool defined_outside(const Finding& f);

}  // namespace alembic
