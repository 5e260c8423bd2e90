// Alembic's docstring header ("Revision ID:", "Revises:", "Create Date:") read from
// the decoded text of a module docstring. Alembic itself never reads it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/model.h"
#include "analysis/parse_literal.h"

namespace alembic::docstring {

/// The message: the first paragraph after any leading blank lines, each line trimmed,
/// lines joined with '\n'. It ends at a blank line or at a header line, so a
/// docstring without the blank line after the message still gives just the message.
std::string first_paragraph(std::string_view text);

/// Fills `header.message`, `revision_id`, `has_revises`, `revises` and `create_date`
/// from the decoded docstring `text`. `offsets[i]` is the source byte of text byte i
/// (one more entry for the end); `cursor` turns those bytes into points, so every
/// id's range covers exactly its characters in the file. The first line of each kind
/// counts. On the `Revises:` line, ids are comma separated; empty items and `None`
/// name no revision (but the line still sets has_revises); brackets around the list
/// and quotes around an id are dropped (`('a', 'b')` is `a, b`).
void read_header(std::string_view text, const std::vector<uint32_t>& offsets,
                 literal::PointCursor& cursor, DocstringHeader& header);

}  // namespace alembic::docstring
