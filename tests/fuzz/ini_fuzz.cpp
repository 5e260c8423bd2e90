// alembic.ini: IniFile::parse (configparser's rules) on any bytes, every lookup of every
// option with interpolation, Alembic's option readers on top of it, and the path-list
// helpers on every value. Checks that lines stay inside the file and that lookups agree
// with the raw options.
#include <cstdint>
#include <string>
#include <string_view>

#include "analysis/ini.h"
#include "analysis/pyproject.h"
#include "fuzz_support.h"

using namespace alembic;
using alembic::fuzz::count_lines;

namespace {

void check_value(std::string_view value) {
  (void)parse_python_int(value);
  (void)strip_python_whitespace(value);
  auto separator = alembic_path_separator(value);
  for (const std::optional<std::string>& sep :
       {std::optional<std::string>(), std::optional<std::string>(" "),
        std::optional<std::string>("\n"), std::optional<std::string>(":"), separator}) {
    for (const std::string& piece : split_alembic_path_list(value, sep)) {
      FUZZ_CHECK(piece.size() <= value.size(), "a path list piece longer than the value");
      if (sep) FUZZ_CHECK(!piece.empty(), "an empty piece with a separator");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const int lines = count_lines(text);
  IniFile ini = IniFile::parse(text, {{"here", "/work/project"}});

  for (const IniError& e : ini.errors()) {
    FUZZ_CHECK(e.line >= 0 && e.line <= lines + 1, "error line " + std::to_string(e.line) + " of " +
                                                       std::to_string(lines) + ": " + e.message);
    FUZZ_CHECK(!e.message.empty(), "an error without a message");
  }
  auto lookup_all = [&](const IniSection& section, bool is_default) {
    FUZZ_CHECK(section.line >= 0 && section.line <= lines, "section line out of the file");
    for (const IniOption& option : section.options) {
      FUZZ_CHECK(option.line >= 0 && option.line <= lines, "option line out of the file");
      check_value(option.raw);
      if (is_default) continue;
      const IniOption* found = ini.find(section.name, option.name);
      FUZZ_CHECK(found != nullptr,
                 "option " + option.name + " listed in [" + section.name + "] but not found");
      IniLookup got = ini.get(section.name, option.name);
      FUZZ_CHECK(got.found, "option " + option.name + " listed but get() says unset");
      if (got.error) {
        FUZZ_CHECK(got.value.empty(), "a value returned with an interpolation error");
      } else {
        check_value(got.value);
      }
    }
  };
  lookup_all(ini.defaults(), true);
  for (const IniSection& section : ini.sections()) {
    FUZZ_CHECK(ini.has_section(section.name),
               "section [" + section.name + "] listed but not found");
    lookup_all(section, false);
    // Alembic's readers over this section, with and without a pyproject table.
    for (int with_toml = 0; with_toml < 2; ++with_toml) {
      PyprojectAlembic toml;
      if (with_toml) {
        toml.parsed = toml.has_table = true;
        toml.script_location = TomlString{"from_toml", "from_toml", 3};
      }
      AlembicOptions options(&ini, "/work/project/alembic.ini", with_toml ? &toml : nullptr,
                             "/work/project/pyproject.toml", section.name);
      (void)options.script_location();
      (void)options.version_locations();
      (void)options.recursive_version_locations();
      (void)options.file_template();
      (void)options.truncate_slug_length();
      for (const ConfigProblem& p : options.problems())
        FUZZ_CHECK(!p.message.empty(), "a problem without a message");
    }
  }
  (void)ini.get("alembic", "script_location");
  (void)ini.get("no such section", "x");
  return 0;
}
