// file_name_of with this build's separators. Apart from findings.cpp: platform/system.h
// brings <filesystem> (and with MinGW's libstdc++ <iomanip>, whose std::quoted would be
// found by argument-dependent lookup next to findings.h's quoted).
#include "analysis/findings.h"
#include "platform/system.h"

namespace alembic {

std::string_view file_name_of(std::string_view path) {
  return file_name_of(path, platform::kWindowsPaths);
}

}  // namespace alembic
