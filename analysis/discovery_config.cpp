// Reading one directory's Alembic configuration into environments: alembic.ini and
// pyproject.toml [tool.alembic] together, as Alembic 1.16+ reads them (see the rules and
// deliberate differences at the top of discovery.cpp).
#include "analysis/discovery_config.h"
#include "platform/path_text.h"

#include <algorithm>

namespace alembic::discovery_detail {

fs::path absolute_normal(const fs::path& p) {
  std::error_code ec;
  fs::path a = fs::absolute(p, ec).lexically_normal();
  if (!a.has_filename() && a.has_parent_path() && a != a.root_path()) a = a.parent_path();
  return a;
}

std::string display_name(const fs::path& p, const fs::path& root) {
  fs::path rel = p.lexically_relative(root);
  if (rel.empty()) return p.generic_string();
  if (rel == ".") return root.filename().empty() ? "." : root.filename().string();
  return rel.generic_string();
}

std::optional<std::string> read_text(const fs::path& path,
                                     std::vector<DiscoveryProblem>& problems) {
  try {
    return read_file_bytes(path);
  } catch (const std::exception& e) {
    problems.push_back({path, 0, e.what(), true});
    return std::nullopt;
  }
}

namespace {

class EnvironmentBuilder {
 public:
  EnvironmentBuilder(const DirConfig& config, const fs::path& root, Discovery& out)
      : c_(config), root_(root), out_(out) {}

  void build();

 private:
  void problem(const fs::path& file, int line, std::string message, bool fatal = false) {
    out_.problems.push_back({file, line, std::move(message), fatal});
  }
  bool ini_has(const std::string& section, std::string_view key) const {
    return c_.ini && c_.ini->has_section(section) && c_.ini->find(section, key) != nullptr;
  }
  std::optional<fs::path> resolve(const ConfigValue& v, std::string_view key);
  void build_one(const std::string& section, bool from_toml);
  // Flask-Migrate's `flask db init` writes an [alembic] section without script_location
  // beside env.py and versions/, and sets the script location in code to that directory.
  bool flask_migrate_layout() const {
    std::error_code ec;
    return c_.ini && c_.ini->has_section("alembic") && !ini_has("alembic", "script_location") &&
           fs::is_regular_file(c_.dir / "env.py", ec) && fs::is_directory(c_.dir / "versions", ec);
  }

  const DirConfig& c_;
  const fs::path& root_;
  Discovery& out_;
};

// util.coerce_resource_to_filename: a relative name with a colon is `package:resource`,
// `pkg.sub:a:b` meaning <package pkg.sub>/a/b.
std::optional<fs::path> EnvironmentBuilder::resolve(const ConfigValue& v, std::string_view key) {
  fs::path base = v.file.parent_path();
  size_t colon = v.value.find(':');
  if (platform::utf8_path(v.value).is_absolute() || colon == std::string::npos) {
    return absolute_normal(base /
                           platform::utf8_path(v.value));  // relative: see the note at the top
  }
  std::string package = v.value.substr(0, colon);
  std::replace(package.begin(), package.end(), '.', '/');
  fs::path resource;
  for (size_t start = colon + 1;;) {
    size_t next = v.value.find(':', start);
    resource /= platform::utf8_path(
        v.value.substr(start, next == std::string::npos ? std::string::npos : next - start));
    if (next == std::string::npos) break;
    start = next + 1;
  }
  std::error_code ec;
  for (fs::path dir = absolute_normal(base); !package.empty(); dir = dir.parent_path()) {
    for (const fs::path& candidate :
         {dir / platform::utf8_path(package), dir / "src" / platform::utf8_path(package)}) {
      if (fs::is_directory(candidate, ec)) return absolute_normal(candidate / resource);
    }
    if (dir == dir.parent_path()) break;
  }
  problem(v.file, v.line,
          std::string(key) + " '" + v.value + "': package directory '" + package +
              "' not found under " + base.string() + " or its parents (also tried src/)",
          key == "script_location");
  return std::nullopt;
}

void EnvironmentBuilder::build_one(const std::string& section, bool from_toml) {
  AlembicOptions options(c_.ini ? &*c_.ini : nullptr, c_.ini_path.value_or(fs::path()),
                         c_.toml ? &*c_.toml : nullptr, c_.toml_path.value_or(fs::path()), section);
  std::optional<ConfigValue> location = options.script_location();
  std::optional<fs::path> script_location =
      location ? resolve(*location, "script_location") : std::nullopt;
  if (!location && !from_toml && flask_migrate_layout()) script_location = absolute_normal(c_.dir);
  std::error_code ec;
  if (location && script_location && !fs::is_directory(*script_location, ec)) {
    bool exists = fs::exists(*script_location, ec);
    problem(location->file, location->line,
            "script_location '" + location->value + "': " +
                (exists ? "not a directory: " : "Path doesn't exist: ") + script_location->string(),
            true);
    script_location.reset();
  }
  if (script_location) {
    Environment env;
    env.config_path = from_toml ? *c_.toml_path : *c_.ini_path;
    env.config_section = from_toml ? "tool.alembic" : section;
    env.script_location = *script_location;
    env.name = display_name(*script_location, root_);
    if (section != "alembic" && !from_toml) env.name += "[" + section + "]";
    for (const ConfigValue& v : options.version_locations()) {
      if (std::optional<fs::path> p = resolve(v, "version_locations"))
        env.version_locations.push_back(*p);
    }
    if (env.version_locations.empty())
      env.version_locations.push_back(*script_location / "versions");
    env.recursive_version_locations = options.recursive_version_locations();
    if (std::optional<std::string> t = options.file_template()) env.file_template = *t;
    // ScriptDirectory: `truncate_slug_length or 40`
    long long slug = options.truncate_slug_length().value_or(0);
    if (slug != 0)
      env.truncate_slug_length = static_cast<int>(std::clamp<long long>(slug, -1000000, 1000000));
    out_.environments.push_back(std::move(env));
  }
  for (const ConfigProblem& p : options.problems()) problem(p.file, p.line, p.message);
}

void EnvironmentBuilder::build() {
  if (c_.ini) {
    for (const IniError& e : c_.ini->errors()) problem(*c_.ini_path, e.line, e.message);
  }
  bool toml_relevant = c_.toml && (c_.ini || (c_.toml->has_table && c_.toml->script_location));
  if (c_.toml && (toml_relevant || !c_.toml->parsed)) {
    for (const PyprojectProblem& p : c_.toml->problems) problem(*c_.toml_path, p.line, p.message);
  }
  std::vector<std::string> sections;
  if (c_.ini) {
    for (const IniSection& s : c_.ini->sections()) {
      bool direct = std::any_of(s.options.begin(), s.options.end(),
                                [](const IniOption& o) { return o.name == "script_location"; });
      if (direct || (s.name == "alembic" && ini_has(s.name, "script_location")))
        sections.push_back(s.name);
    }
  }
  bool main_in_ini = ini_has("alembic", "script_location");
  bool toml_env = c_.toml && c_.toml->script_location && !main_in_ini;
  if (c_.toml && c_.toml->script_location && main_in_ini) {
    problem(*c_.toml_path, c_.toml->script_location->line,
            "[tool.alembic] script_location is not used: " + c_.ini_path->filename().string() +
                " [alembic] sets script_location, and Alembic reads the ini file first");
  }
  if (sections.empty() && !toml_env && flask_migrate_layout()) {
    sections.push_back("alembic");
  } else if (sections.empty() && !toml_env && c_.ini) {
    const IniSection* main = c_.ini->section("alembic");
    problem(*c_.ini_path, main ? main->line : 0,
            main ? "No 'script_location' key found in configuration ([alembic] section)"
                 : "No section sets script_location (Alembic: file has no '[alembic]' section)",
            true);
  }
  for (const std::string& s : sections) build_one(s, false);
  if (toml_env) build_one("alembic", true);
}

}  // namespace

void build_environments(const DirConfig& config, const fs::path& root, Discovery& out) {
  EnvironmentBuilder(config, root, out).build();
}

DirConfig read_dir_config(const fs::path& dir, std::optional<fs::path> ini_path,
                          std::optional<fs::path> toml_path,
                          std::vector<DiscoveryProblem>& problems) {
  DirConfig c;
  c.dir = dir;
  std::error_code ec;
  if (!ini_path && fs::is_regular_file(dir / "alembic.ini", ec)) ini_path = dir / "alembic.ini";
  bool toml_named = toml_path.has_value();
  if (!toml_path && fs::is_regular_file(dir / "pyproject.toml", ec))
    toml_path = dir / "pyproject.toml";
  std::string here = dir.generic_string();
  std::optional<std::string> text;
  if (ini_path && (text = read_text(*ini_path, problems))) {
    c.ini_path = ini_path;
    c.ini = IniFile::parse(*text, {{"here", here}});
  }
  if (toml_path && (text = read_text(*toml_path, problems)) &&
      (toml_named || c.ini || text->find("alembic") != std::string::npos)) {
    c.toml_path = toml_path;
    c.toml = read_pyproject_alembic(*text, here);
  }
  return c;
}

}  // namespace alembic::discovery_detail
