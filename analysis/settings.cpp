#include "analysis/settings.h"

#include <toml++/toml.h>

#include <algorithm>
#include <sstream>
#include <tuple>

#include "analysis/discovery.h"
#include "analysis/finding_rules.h"
#include "analysis/findings.h"
#include "platform/path_text.h"

namespace alembic {

namespace fs = std::filesystem;

const std::vector<std::string>& known_finding_codes() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> names;
    for (const FindingRule& rule : kFindingRules) names.emplace_back(rule.code);
    return names;
  }();
  return all;
}

namespace {

constexpr std::string_view kTable = "[tool.alembic-lsp]";

SourceRange range_of(const toml::source_region& where) {
  SourceRange r;
  r.start_line = where.begin.line > 0 ? where.begin.line - 1 : 0;
  r.start_column = where.begin.column > 0 ? where.begin.column - 1 : 0;
  r.end_line = where.end.line > 0 ? where.end.line - 1 : r.start_line;
  r.end_column = where.end.column > 0 ? where.end.column - 1 : r.start_column;
  if (r.end_line < r.start_line || (r.end_line == r.start_line && r.end_column < r.start_column)) {
    r.end_line = r.start_line;
    r.end_column = r.start_column;
  }
  return r;
}

std::string quote(std::string_view s) {
  return "'" + std::string(s) + "'";
}

// A code the setting `bit` (SettingBits) may change.
bool is_adjustable_code(const std::string& code, uint8_t bit) {
  const FindingRule* rule = find_rule(code);
  return rule != nullptr && (rule->settings & bit) != 0;
}

std::optional<Severity> severity_named(std::string_view name, bool* off) {
  *off = name == "off";
  if (name == "error") return Severity::Error;
  if (name == "warning") return Severity::Warning;
  if (name == "info") return Severity::Information;
  if (name == "hint") return Severity::Hint;
  return std::nullopt;
}

class Reader {
 public:
  Reader(Settings& out, std::string path_name, std::string label, bool with_lines)
      : out_(out), path_(std::move(path_name)), label_(std::move(label)), with_lines_(with_lines) {}

  void warn(const toml::source_region& where, std::string message) {
    Finding f;
    f.code = std::string(kConfigWarningCode);
    f.severity = Severity::Warning;
    set_message(f, message);
    f.location = {path_, range_of(where)};
    out_.problems.push_back(std::move(f));
  }

  void read(const toml::table& table) {
    for (auto&& [key, value] : table) {
      const std::string name(key.str());
      if (name == "expected-heads") {
        expected_heads(key, value);
      } else if (name == "allow-multiple-heads") {
        if (auto b = value.as_boolean())
          out_.allow_multiple_heads = b->get();
        else
          warn(value.source(), label_ + " allow-multiple-heads must be true or false");
      } else if (name == "ignore") {
        ignore(value);
      } else if (name == "severity") {
        severity(value);
      } else if (name == "alembic-version") {
        if (auto v = value.as_string(); v && parse_alembic_constraint(v->get()))
          out_.alembic_version_setting = v->get();
        else
          warn(value.source(), label_ +
                                   " alembic-version must be a version such as \"1.13.2\" "
                                   "or a range such as \"<1.13\"");
      } else if (name == "version-locations") {
        version_locations(value);
      } else if (name == "dialect") {
        if (auto v = value.as_string(); v && !v->get().empty())
          out_.dialect = v->get() == "postgres" ? std::string("postgresql") : v->get();
        else
          warn(value.source(), label_ +
                                   " dialect must be a SQLAlchemy dialect name such as "
                                   "\"postgresql\", \"mysql\" or \"sqlite\"");
      } else if (name == "lint") {
        if (auto v = value.as_string();
            v && (v->get() == "open" || v->get() == "all" || v->get() == "off"))
          out_.lint = v->get();
        else
          warn(value.source(), label_ + " lint must be \"open\", \"all\" or \"off\"");
      } else if (name == "head-file") {
        head_file(value);
      } else {
        unknown_key(key, name);
      }
    }
  }

 private:
  void unknown_key(const toml::key& key, const std::string& name) {
    std::string message = "unknown key " + quote(name) + " in " + label_ + "; it is ignored";
    if (with_lines_)
      message += " (" + path_ + ", line " + std::to_string(key.source().begin.line) + ")";
    std::string dashed = name;
    std::replace(dashed.begin(), dashed.end(), '_', '-');
    for (const char* known :
         {"expected-heads", "allow-multiple-heads", "ignore", "severity", "alembic-version",
          "version-locations", "dialect", "lint", "head-file"})
      if (dashed == known) {
        message += ": did you mean " + quote(known) + "?";
        warn(key.source(), message);
        return;
      }
    message +=
        " (known keys: expected-heads, allow-multiple-heads, ignore, severity, alembic-version, "
        "version-locations, dialect, lint, head-file)";
    warn(key.source(), message);
  }

  std::optional<int> head_count(const toml::node& value, const std::string& what) {
    auto n = value.as_integer();
    if (!n || n->get() < 0 || n->get() > 1000000) {
      warn(value.source(), label_ + " " + what + " must be a number of heads (0 or more)");
      return std::nullopt;
    }
    return static_cast<int>(n->get());
  }

  void expected_heads(const toml::key&, const toml::node& value) {
    if (auto table = value.as_table()) {
      for (auto&& [env, count] : *table) {
        const std::string env_name(env.str());
        if (auto n = head_count(count, "expected-heads." + quote(env_name))) {
          out_.expected_heads_by_environment[env_name] = *n;
          out_.expected_heads_lines[env_name] = static_cast<int>(env.source().begin.line);
        }
      }
      return;
    }
    if (!value.is_integer()) {
      warn(value.source(), label_ +
                               " expected-heads must be a number, or a table of environment "
                               "name = number");
      return;
    }
    out_.expected_heads = head_count(value, "expected-heads");
  }

  void version_locations(const toml::node& value) {
    const std::string shape = label_ +
                              " version-locations must be a table of environment name = "
                              "list of directories";
    auto table = value.as_table();
    if (!table) return warn(value.source(), shape);
    for (auto&& [env, list] : *table) {
      auto array = list.as_array();
      std::vector<std::string> dirs;
      for (size_t i = 0; array && i < array->size(); ++i) {
        auto dir = (*array)[i].as_string();
        if (!dir || dir->get().empty()) {
          warn((*array)[i].source(), label_ + " version-locations entries must be directory names");
          continue;
        }
        dirs.push_back(dir->get());
      }
      if (!array) warn(list.source(), shape);
      if (!dirs.empty())
        out_.version_locations_by_environment[std::string(env.str())] = std::move(dirs);
    }
  }

  // A path relative to the settings file's directory that stays inside it.
  std::optional<std::string> head_file_path(const toml::node& value, const std::string& what) {
    auto text = value.as_string();
    const std::string shape = label_ + " " + what +
                              " must be a file path relative to the directory of the settings "
                              "file, such as \"migrations/HEAD\"";
    if (!text || text->get().empty()) {
      warn(value.source(), shape);
      return std::nullopt;
    }
    const fs::path path = platform::utf8_path(text->get());
    bool climbs = false;
    for (const fs::path& part : path.lexically_normal())
      if (part == "..") climbs = true;
    if (path.is_absolute() || path.has_root_name() || path.has_root_directory() || climbs ||
        text->get().back() == '/') {
      warn(value.source(), shape + " (not " + quote(text->get()) + ")");
      return std::nullopt;
    }
    return text->get();
  }

  void head_file(const toml::node& value) {
    if (auto table = value.as_table()) {
      for (auto&& [env, path] : *table) {
        const std::string env_name(env.str());
        if (auto p = head_file_path(path, "head-file." + quote(env_name))) {
          out_.head_file_by_environment[env_name] = *p;
          out_.head_file_lines[env_name] =
              env.source().begin.line > 0 ? env.source().begin.line - 1 : 0;
        }
      }
      return;
    }
    if (!value.is_string()) {
      warn(value.source(), label_ +
                               " head-file must be a file path such as \"migrations/HEAD\", or a "
                               "table of environment name = file path");
      return;
    }
    if (auto p = head_file_path(value, "head-file")) {
      out_.head_file = *p;
      out_.head_file_line = value.source().begin.line > 0 ? value.source().begin.line - 1 : 0;
    }
  }

  void ignore(const toml::node& value) {
    auto array = value.as_array();
    if (!array) {
      warn(value.source(), label_ + " ignore must be a list of finding codes");
      return;
    }
    for (const toml::node& element : *array) {
      auto code = element.as_string();
      if (!code) {
        warn(element.source(), label_ + " ignore entries must be strings");
        continue;
      }
      if (!is_adjustable_code(code->get(), kSetIgnore))
        warn(element.source(), label_ + " ignore: unknown finding code " + quote(code->get()));
      out_.ignore.insert(code->get());
    }
  }

  void severity(const toml::node& value) {
    auto table = value.as_table();
    if (!table) {
      warn(value.source(), label_ +
                               " severity must be a table of finding code = \"error\" | "
                               "\"warning\" | \"info\" | \"hint\" | \"off\"");
      return;
    }
    for (auto&& [key, level] : *table) {
      const std::string code(key.str());
      if (!is_adjustable_code(code, kSetSeverity))
        warn(key.source(), label_ + " severity: unknown finding code " + quote(code));
      auto text = level.as_string();
      bool off = false;
      std::optional<Severity> s = text ? severity_named(text->get(), &off) : std::nullopt;
      if (!s && !off) {
        warn(level.source(), label_ + " severity." + code +
                                 " must be \"error\", \"warning\", \"info\", \"hint\" or \"off\"");
        continue;
      }
      out_.severity[code] = s;
    }
  }

  Settings& out_;
  std::string path_;
  std::string label_;  ///< how messages name the table: "[tool.alembic-lsp]"
  bool with_lines_;    ///< messages may cite line numbers of the source
};

}  // namespace

Settings parse_settings(std::string_view toml_text, const std::string& path_name) {
  Settings out;
  out.file_name = path_name;
  Reader reader(out, path_name, std::string(kTable), true);
  toml::table document;
  try {
    document = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    // Discovery already reports a broken pyproject.toml that configures Alembic; here it
    // only matters when it was meant to hold our settings.
    if (toml_text.find("alembic-lsp") == std::string_view::npos) return out;
    std::ostringstream message;
    message << path_name << " is not valid TOML (" << e.description() << "); " << kTable
            << " settings are not read";
    reader.warn(e.source(), message.str());
    return out;
  }
  const toml::node* tool = document.get("tool");
  if (tool == nullptr || !tool->is_table()) return out;
  const toml::node* node = tool->as_table()->get("alembic-lsp");
  if (node == nullptr) return out;
  out.has_table = true;
  if (const toml::table* table = node->as_table()) {
    reader.read(*table);
  } else {
    reader.warn(node->source(), std::string(kTable) + " must be a table");
  }
  // toml++ walks keys in sorted order; report them in file order.
  std::stable_sort(out.problems.begin(), out.problems.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.location.range.start_line, a.location.range.start_column) <
                            std::tie(b.location.range.start_line, b.location.range.start_column);
                   });
  return out;
}

Settings parse_settings_keys(std::string_view toml_text, const std::string& label) {
  Settings out;
  out.file_name = label;
  Reader reader(out, label, label, false);
  try {
    reader.read(toml::parse(toml_text));
  } catch (const toml::parse_error& e) {
    reader.warn(e.source(), label + " could not be read (" + std::string(e.description()) + ")");
  }
  out.has_table = !toml_text.empty();
  return out;
}

Settings merge_settings(Settings project, const Settings& editor) {
  if (!project.allow_multiple_heads) project.allow_multiple_heads = editor.allow_multiple_heads;
  if (!project.expected_heads && project.expected_heads_by_environment.empty()) {
    project.expected_heads = editor.expected_heads;
    project.expected_heads_by_environment = editor.expected_heads_by_environment;
  }
  project.ignore.insert(editor.ignore.begin(), editor.ignore.end());
  for (const auto& [code, level] : editor.severity) project.severity.emplace(code, level);
  project.has_table = project.has_table || editor.has_table;
  if (!project.dialect) project.dialect = editor.dialect;
  if (!project.lint) project.lint = editor.lint;
  if (project.alembic.source.empty() && editor.alembic_version_setting)
    if (auto v = parse_alembic_constraint(*editor.alembic_version_setting)) {
      project.alembic = *v;
      project.alembic.source = "editor setting alembic-version";
      project.alembic.requirement = "\"" + *editor.alembic_version_setting + "\"";
    }
  return project;
}

std::optional<fs::path> find_pyproject(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (ec) return std::nullopt;
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (;;) {
    const fs::path candidate = dir / "pyproject.toml";
    if (fs::is_regular_file(candidate, ec)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

static Settings read_settings_table(const fs::path& start, const PathNamer& name_path) {
  std::optional<fs::path> file = find_pyproject(start);
  if (!file) return {};
  const std::string name = name_path(*file);
  Settings out;
  try {
    out = parse_settings(read_file_bytes(*file), name);
  } catch (const std::exception& e) {
    Finding f;
    f.code = std::string(kConfigWarningCode);
    f.severity = Severity::Warning;
    set_message(f, std::string("cannot read settings: ") + e.what());
    f.location.path = name;
    out.problems.push_back(std::move(f));
    out.file_name = name;
  }
  out.file = *file;
  return out;
}

Settings load_settings(const fs::path& start, const PathNamer& name_path) {
  Settings out = read_settings_table(start, name_path);
  out.alembic = detect_alembic_version(start, out.alembic_version_setting);
  return out;
}

Environment with_configured_locations(Environment env, const Settings& settings) {
  if (!settings.file) return env;
  // The entry under the full name wins over one naming it by section or path.
  const auto& table = settings.version_locations_by_environment;
  auto exact = table.find(env.name);
  for (auto it = table.begin(); it != table.end(); ++it) {
    if (exact != table.end() && it != exact) continue;
    const auto& [name, dirs] = *it;
    if (!environment_answers_to(env, name)) continue;
    env.version_locations.clear();
    for (const std::string& dir : dirs)
      env.version_locations.push_back(
          (settings.file->parent_path() / platform::utf8_path(dir)).lexically_normal());
    env.recursive_version_locations = false;  // exactly the folders listed
    // Folders now listed are read.
    std::erase_if(env.unread_folders, [&](const fs::path& folder) {
      return std::find(env.version_locations.begin(), env.version_locations.end(),
                       folder.lexically_normal()) != env.version_locations.end();
    });
    break;
  }
  return env;
}

AnalysisOptions analysis_options(const Settings& settings, const Environment& env,
                                 const std::vector<const Environment*>& environments) {
  AnalysisOptions options;
  if (settings.allow_multiple_heads) options.allow_multiple_heads = *settings.allow_multiple_heads;
  if (settings.expected_heads) options.expected_heads = *settings.expected_heads;
  // A key written as the full name wins over one that names it by section or path.
  bool exact = false;
  for (const auto& [key, count] : settings.expected_heads_by_environment) {
    if (exact) break;
    const std::vector<const Environment*> named = environments_named(environments, key);
    if (named.size() != 1 || named.front()->name != env.name) continue;
    options.expected_heads = count;
    exact = key == env.name;
  }
  return options;
}

std::vector<Finding> unknown_environment_findings(
    const Settings& settings, const std::vector<const Environment*>& environments) {
  std::vector<Finding> out;
  if (settings.file_name.empty()) return out;
  auto names_of = [](const std::vector<const Environment*>& envs) {
    std::string text;
    for (const Environment* e : envs) text += (text.empty() ? "" : ", ") + quote(e->name);
    return text.empty() ? std::string("none") : text;
  };
  for (const auto& [name, count] : settings.expected_heads_by_environment) {
    const std::vector<const Environment*> named = environments_named(environments, name);
    if (named.size() == 1) continue;
    Finding f;
    f.code = std::string(kConfigWarningCode);
    f.severity = Severity::Warning;
    if (named.empty()) {
      set_message(f, std::string(kTable) + " expected-heads names unknown environment " +
                         quote(brief(name)) + "; the environments found are " +
                         names_of(environments) +
                         ". Name one by its full name, its ini section or the end of its path");
    } else {
      set_message(f, std::string(kTable) + " expected-heads key " + quote(brief(name)) +
                         " names several environments; they are " + names_of(named) +
                         ". Write the full name of the one it is for");
    }
    f.location.path = settings.file_name;
    auto line = settings.expected_heads_lines.find(name);
    if (line != settings.expected_heads_lines.end() && line->second > 0)
      f.location.range.start_line = f.location.range.end_line =
          static_cast<uint32_t>(line->second - 1);
    out.push_back(std::move(f));
  }
  return out;
}

void apply_settings(std::vector<Finding>& findings, const Settings& settings) {
  apply_alembic_version(findings, settings.alembic);
  std::vector<Finding> kept;
  kept.reserve(findings.size());
  for (Finding& f : findings) {
    if (settings.ignore.contains(f.code)) continue;
    auto it = settings.severity.find(f.code);
    if (it != settings.severity.end()) {
      if (!it->second) continue;  // "off"
      f.severity = *it->second;
    }
    kept.push_back(std::move(f));
  }
  findings = std::move(kept);
}

}  // namespace alembic
