// Resolving one git merge-conflict block (<<<<<<< ours ||||||| base ======= theirs
// >>>>>>>) by keeping one side: the quick fix for a syntax-error on a conflict marker.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "analysis/source_edit.h"

namespace alembic {

/// One conflict block of a text and its sides.
struct ConflictBlock {
  uint32_t start = 0;       ///< start of the `<<<<<<<` line
  uint32_t end = 0;         ///< after the `>>>>>>>` line (and its line break)
  std::string ours;         ///< the lines between `<<<<<<<` and `|||||||` / `=======`
  std::string theirs;       ///< the lines between `=======` and `>>>>>>>`
  std::string ours_name;    ///< text after `<<<<<<< ` ("HEAD")
  std::string theirs_name;  ///< text after `>>>>>>> ` (the merged branch)
};

/// The conflict block that contains byte `offset` of `source` (on any of its marker
/// lines or between them), or nullopt.
std::optional<ConflictBlock> conflict_block_at(std::string_view source, uint32_t offset);

/// The edit replacing `block` of the file at `path` with one side.
TextEdit keep_side(const std::string& path, const ConflictBlock& block, bool ours);

}  // namespace alembic
