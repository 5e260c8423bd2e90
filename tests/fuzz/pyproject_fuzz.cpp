// pyproject.toml: read_pyproject_alembic on any bytes (toml++ underneath), Alembic's
// option readers over the result, and Python's `%` formatting on the input itself.
#include <cstdint>
#include <string>
#include <string_view>

#include "analysis/ini.h"
#include "analysis/pyproject.h"
#include "fuzz_support.h"

using namespace alembic;
using alembic::fuzz::count_lines;

namespace {

void check_format(std::string_view text) {
  std::string error;
  auto formatted = python_percent_format(text, "/work/project", &error);
  if (!formatted) {
    FUZZ_CHECK(!error.empty(), "format failed without saying why");
    return;
  }
  if (text.find('%') == std::string_view::npos) {
    FUZZ_CHECK(*formatted == text, "text without '%' changed by formatting");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const int lines = count_lines(text);
  PyprojectAlembic toml = read_pyproject_alembic(text, "/work/project");

  for (const PyprojectProblem& p : toml.problems) {
    FUZZ_CHECK(p.line >= 0 && p.line <= lines, "problem line " + std::to_string(p.line) + " of " +
                                                   std::to_string(lines) + ": " + p.message);
    FUZZ_CHECK(!p.message.empty(), "a problem without a message");
  }
  if (!toml.parsed) FUZZ_CHECK(!toml.has_table, "a table found in a file that does not parse");
  auto check_string = [&](const TomlString& s) {
    FUZZ_CHECK(s.line >= 0 && s.line <= lines, "string line out of the file");
    if (!s.formatted) FUZZ_CHECK(s.value.empty(), "an unformatted string with a value");
  };
  if (toml.script_location) check_string(*toml.script_location);
  if (toml.file_template) check_string(*toml.file_template);
  if (toml.version_locations) {
    FUZZ_CHECK(!toml.version_locations->empty(), "version_locations set but empty");
    for (const TomlString& s : *toml.version_locations) check_string(s);
  }

  IniFile ini = IniFile::parse("[alembic]\nversion_path_separator = os\n");
  for (const IniFile* with_ini :
       {static_cast<const IniFile*>(nullptr), static_cast<const IniFile*>(&ini)}) {
    AlembicOptions options(with_ini, "/work/project/alembic.ini", &toml,
                           "/work/project/pyproject.toml", "alembic");
    (void)options.script_location();
    for (const ConfigValue& v : options.version_locations()) (void)v;
    (void)options.recursive_version_locations();
    (void)options.file_template();
    (void)options.truncate_slug_length();
  }
  if (size <= 4096) check_format(text);
  return 0;
}
