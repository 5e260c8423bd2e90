// Which Alembic a project runs, and the rules that differ between Alembic versions.
//
// The version comes from the project's own files, first found wins:
//   uv.lock, poetry.lock                 the locked `alembic` package's version
//   requirements*.txt                    an `alembic` line (`==` pin, or a range)
//   pyproject.toml                       [project] dependencies, [tool.poetry.dependencies]
//   [tool.alembic-lsp] alembic-version   the project's own setting
// and is otherwise the newest. A range with an upper bound (`<1.13`, `~=1.12.0`, `^1.8`)
// means the newest release under it; without one, the newest.
//
// Rules that differ (measured with Alembic 1.8.1, 1.13.2 and 1.18.4; see the README):
//   down_revision = ""    before 1.12.1 a base; since then KeyError: ''
//   ':' in a revision id  accepted before 1.17.1; since then RevisionError
#pragma once

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/model.h"

namespace alembic {

struct AlembicVersion {
  enum class Kind {
    Newest,  ///< no pin: the newest Alembic
    Exact,   ///< `bound` exactly
    Below,   ///< the newest release below `bound` (`<1.13`, `~=1.12.0`, `^1.8`)
    AtMost,  ///< the newest release up to and including `bound` (`<=1.13.2`)
  };
  Kind kind = Kind::Newest;
  std::array<int, 3> bound{0, 0, 0};
  std::string source;       ///< file (or setting) it was read from; empty: nothing found
  std::string requirement;  ///< as written there, e.g. `alembic==1.13.2`

  /// Whether the version is `v` or later (the newest is later than everything).
  bool at_least(std::array<int, 3> v) const;
  /// "1.13.2", "newest", "newest below 1.13", "newest up to 1.13.2".
  std::string version_text() const;
  /// For messages: "Alembic 1.13.2", "the newest Alembic", "Alembic below 1.13".
  std::string name() const;
  /// "1.13.2 (from requirements.txt: alembic==1.13.2)", "newest (no pin found)".
  std::string describe() const;
};

/// A PEP 440 specifier list (`==1.13.2`, `>=1.8,<1.13`, `~=1.12.0`) or a Poetry
/// constraint (`^1.13`, `~1.13.2`, `1.13.2`, `*`); nullopt when it cannot be read.
std::optional<AlembicVersion> parse_alembic_constraint(std::string_view spec);

/// The constraint of an `alembic` requirement line (`alembic[tz]>=1.8 ; python_version>"3"`),
/// or nullopt when the line does not require alembic. No version: the newest.
std::optional<AlembicVersion> parse_alembic_requirement(std::string_view line);

/// The version of `alembic` locked in a uv.lock or poetry.lock text, if any.
std::optional<std::string> locked_alembic_version(std::string_view lock_text);

/// True for the names of the files the version is read from (`uv.lock`, `poetry.lock`,
/// `requirements*.txt`, `pyproject.toml`): a change to one may change the version.
bool is_alembic_version_file(std::string_view file_name);

/// Reads the project's version: from the nearest directory at or above `start` that holds
/// one of the files above (stopping at a repository root), else `setting` (the
/// [tool.alembic-lsp] alembic-version value), else the newest.
AlembicVersion detect_alembic_version(const std::filesystem::path& start,
                                      const std::optional<std::string>& setting);

/// Makes the findings whose truth depends on the version say what this version does:
/// empty-down-revision (an error since 1.12.1, which also drops the unexpected-base
/// reported at the same place) and a revision id whose only forbidden character is ':'
/// (a warning before 1.17.1).
void apply_alembic_version(std::vector<Finding>& findings, const AlembicVersion& version);

}  // namespace alembic
