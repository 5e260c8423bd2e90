// The cold path's shortcut: reads the scanner's selected lines without tree-sitter
// when each one has a shape whose tree is known in advance.
#pragma once

#include <string_view>

#include "analysis/parse_extract.h"
#include "analysis/python_scan.h"

namespace alembic::fast {

/// Reads every selected statement of `scan` into `ex` (rebindings applied in order)
/// when all of them have one of these shapes, and returns true:
/// - a docstring line: plain str literals (prefix none, r or u; implicit
///   concatenation on one line);
/// - `NAME = value`, `NAME: T = value` (the scanner's annotation gap) or a chain
///   `A = B = value`, where value is None, a name, such a literal, or a tuple / list /
///   bare comma list of those, in any number of parentheses.
/// Comments and newlines inside brackets are allowed. Anything else (another
/// expression, a keyword, a backslash continuation, ';', b/f/t strings, non-ASCII
/// names, a nested sequence, a line too deep, an unterminated string) makes it
/// return false with `ex` partly fed: the caller then starts over with tree-sitter.
/// Where it returns true, `ex` holds exactly what tree-sitter's statements would have
/// given it (tests/unit/analysis_parser_fast_test.cpp compares the two).
bool read_simple_lines(std::string_view source, const scan::ModuleScan& scan,
                       extract::Extractor& ex);

}  // namespace alembic::fast
