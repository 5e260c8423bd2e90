// Which file names Windows refuses, for the names a file_template renders: the check is
// made in the Windows build (where creating such a file fails or makes something else)
// and tested on every system.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace alembic {

/// Why Windows does not accept `relative` (a path below a version location, '/' or '\'
/// separated) as a file name: a component with one of < > : " | ? * or a control
/// character, a reserved device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with or without
/// an extension, in any case), or one ending in a space or a dot. nullopt when accepted.
std::optional<std::string> windows_name_problem(std::string_view relative);

}  // namespace alembic
