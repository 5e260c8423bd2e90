// Where a cursor sits among the revision names of a `down_revision` or `depends_on`
// assignment, and what has been typed there: the context completion needs. Works on the
// text itself, so a half-typed line (an unterminated string, `down_revision = `) that the
// parser cannot read yet is still understood.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/model.h"
#include "analysis/references.h"

namespace alembic {

/// A place where a revision name can be written.
struct RevisionSlot {
  ReferenceKind kind = ReferenceKind::DownRevision;  ///< DownRevision or DependsOn
  bool in_string = false;      ///< inside a string literal: the name replaces its content
  std::string prefix;          ///< typed before the cursor: the string's content, or a bare
                               ///< word (empty on a bare `None`, which the name replaces)
  uint32_t replace_start = 0;  ///< bytes a chosen name replaces: the string content, or
  uint32_t replace_end = 0;    ///< the bare word around the cursor (empty at a bare `= `)
  char quote = '\'';           ///< the quote to write around a bare name: the file's own style
};

/// The slot at byte `offset` of `text` (whose parse is `parsed`), or nullopt when the
/// cursor is not where a revision name goes. Module-level assignments only (column 0),
/// single- or multi-line values, annotated (`down_revision: str | None = ...`) or not.
std::optional<RevisionSlot> revision_slot_at(std::string_view text, const ParsedMigration& parsed,
                                             uint32_t offset);

}  // namespace alembic
