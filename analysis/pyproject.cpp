#include "analysis/pyproject.h"

#include <toml++/toml.h>

#include <set>
#include <sstream>

namespace alembic {
namespace {

int line_of(const toml::node& node) {
  return static_cast<int>(node.source().begin.line);
}

std::string single_quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

class TableReader {
 public:
  TableReader(const toml::table& table, std::string_view here, PyprojectAlembic& out)
      : table_(table), here_(here), out_(out) {}

  void problem(int line, std::string message) {
    out_.problems.push_back({line, std::move(message)});
  }

  std::optional<TomlString> format(const toml::node& node, std::string_view key,
                                   bool keep_raw = false) {
    const std::string& raw = node.as_string()->get();
    std::string error;
    std::optional<std::string> value = python_percent_format(raw, here_, &error);
    if (!value) {
      problem(line_of(node), "[tool.alembic] " + std::string(key) + ": " + error +
                                 (keep_raw ? " (kept as written)" : ""));
      if (keep_raw) return TomlString{"", raw, line_of(node), false};
      return std::nullopt;
    }
    return TomlString{*value, raw, line_of(node)};
  }

  std::optional<TomlString> string_option(std::string_view key, bool keep_raw = false) {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_string()) {
      problem(line_of(*node), "[tool.alembic] " + std::string(key) + " must be a string");
      return std::nullopt;
    }
    return format(*node, key, keep_raw);
  }

  // A list of strings. Alembic passes a plain string on as if it were a list, and then
  // reads it one character at a time; reading it as one path is what the user meant.
  void version_locations() {
    const toml::node* node = table_.get("version_locations");
    if (node == nullptr) return;
    out_.version_locations_line = line_of(*node);
    std::vector<TomlString> paths;
    if (node->is_string()) {
      problem(line_of(*node),
              "[tool.alembic] version_locations should be a list of strings; Alembic would read "
              "this string one character at a time (it is read here as one path)");
      if (auto value = format(*node, "version_locations")) paths.push_back(*value);
    } else if (const toml::array* array = node->as_array()) {
      for (const toml::node& element : *array) {
        if (!element.is_string()) {
          problem(line_of(element), "[tool.alembic] version_locations entries must be strings");
          continue;
        }
        if (auto value = format(element, "version_locations")) paths.push_back(*value);
      }
    } else {
      problem(line_of(*node), "[tool.alembic] version_locations must be a list of strings");
    }
    if (!paths.empty()) out_.version_locations = std::move(paths);
  }

  // int(value): TOML integers, booleans (Python's bool is an int) and strings of digits.
  void truncate_slug_length() {
    const toml::node* node = table_.get("truncate_slug_length");
    if (node == nullptr) return;
    out_.truncate_slug_length_line = line_of(*node);
    if (auto integer = node->value_exact<int64_t>()) {
      out_.truncate_slug_length = *integer;
    } else if (auto boolean = node->value_exact<bool>()) {
      out_.truncate_slug_length = *boolean ? 1 : 0;
    } else if (node->is_string()) {
      if (auto text = format(*node, "truncate_slug_length")) {
        out_.truncate_slug_length = parse_python_int(text->value);
        if (!out_.truncate_slug_length) {
          problem(line_of(*node),
                  "[tool.alembic] truncate_slug_length: invalid literal for int(): " +
                      single_quoted(text->value));
        }
      }
    } else {
      problem(line_of(*node), "[tool.alembic] truncate_slug_length must be an integer");
    }
  }

  void recursive_version_locations() {
    const toml::node* node = table_.get("recursive_version_locations");
    if (node == nullptr) return;
    out_.recursive_version_locations_line = line_of(*node);
    if (auto boolean = node->value_exact<bool>()) {
      out_.recursive_version_locations = *boolean;
    } else {
      // Alembic: "boolean value expected for TOML parameter 'recursive_version_locations'"
      problem(line_of(*node),
              "boolean value expected for TOML parameter 'recursive_version_locations' (write "
              "true or false without quotes)");
    }
  }

 private:
  const toml::table& table_;
  std::string_view here_;
  PyprojectAlembic& out_;
};

}  // namespace

std::optional<std::string> python_percent_format(std::string_view text, std::string_view here,
                                                 std::string* error) {
  std::string out;
  while (!text.empty()) {
    size_t percent = text.find('%');
    if (percent == std::string_view::npos) {
      out += text;
      break;
    }
    out += text.substr(0, percent);
    text.remove_prefix(percent);
    if (text.size() >= 2 && text[1] == '%') {
      out += '%';
      text.remove_prefix(2);
      continue;
    }
    size_t close = text.size() >= 2 && text[1] == '(' ? text.find(')', 2) : std::string_view::npos;
    if (close == std::string_view::npos || close + 1 >= text.size()) {
      if (error)
        *error = "incomplete or unsupported format in " + single_quoted(text) +
                 " (write %% for a literal %)";
      return std::nullopt;
    }
    std::string_view key = text.substr(2, close - 2);
    if (key != "here") {
      if (error)
        *error = "unknown substitution key " + single_quoted(key) +
                 " (only %(here)s is known; write %% for a literal %)";
      return std::nullopt;
    }
    if (text[close + 1] != 's') {
      if (error)
        *error = "unsupported format character " + single_quoted(text.substr(close + 1, 1)) +
                 " after %(here)";
      return std::nullopt;
    }
    out += here;
    text.remove_prefix(close + 2);
  }
  return out;
}

PyprojectAlembic read_pyproject_alembic(std::string_view text, std::string_view here) {
  PyprojectAlembic out;
  toml::table document;
  try {
    document = toml::parse(text);
  } catch (const toml::parse_error& e) {
    std::ostringstream message;
    message << "pyproject.toml is not valid TOML: " << e.description();
    out.problems.push_back({static_cast<int>(e.source().begin.line), message.str()});
    return out;
  }
  out.parsed = true;
  const toml::node* tool = document.get("tool");
  if (tool == nullptr || !tool->is_table()) return out;
  const toml::node* node = tool->as_table()->get("alembic");
  if (node == nullptr) return out;
  out.has_table = true;
  out.table_line = line_of(*node);
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    out.problems.push_back({out.table_line, "Incorrect TOML format: tool.alembic must be a table"});
    return out;
  }
  TableReader reader(*table, here, out);
  out.script_location = reader.string_option("script_location");
  reader.version_locations();
  out.file_template = reader.string_option("file_template", /*keep_raw=*/true);
  reader.truncate_slug_length();
  reader.recursive_version_locations();
  return out;
}

// ---- AlembicOptions ---------------------------------------------------------------

namespace {

std::string escape_percent(std::string_view text) {
  std::string out;
  for (char ch : text) out += ch == '%' ? std::string("%%") : std::string(1, ch);
  return out;
}

}  // namespace

AlembicOptions::AlembicOptions(const IniFile* ini, std::filesystem::path ini_path,
                               const PyprojectAlembic* toml, std::filesystem::path toml_path,
                               std::string section)
    : ini_(ini),
      ini_path_(std::move(ini_path)),
      toml_(toml),
      toml_path_(std::move(toml_path)),
      section_(std::move(section)) {}

// file_config.has_option(section, name): false when the section is missing.
bool AlembicOptions::ini_has(std::string_view key) const {
  return ini_ != nullptr && ini_->has_section(section_) && ini_->find(section_, key) != nullptr;
}

std::optional<ConfigValue> AlembicOptions::ini_value(std::string_view key) {
  if (!ini_has(key)) return std::nullopt;
  IniLookup got = ini_->get(section_, key);
  if (got.error) {
    problems_.push_back({ini_path_, got.error->line, got.error->message});
    return std::nullopt;
  }
  return ConfigValue{got.value, ini_path_, got.line};
}

std::optional<ConfigValue> AlembicOptions::script_location() {
  if (ini_has("script_location")) return ini_value("script_location");
  if (toml_ && toml_->script_location)
    return ConfigValue{toml_->script_location->value, toml_path_, toml_->script_location->line};
  return std::nullopt;
}

// Config._get_file_separator_char("path_separator", "version_path_separator").
std::optional<std::string> AlembicOptions::separator() {
  for (std::string_view name : {"path_separator", "version_path_separator"}) {
    std::optional<ConfigValue> v = ini_value(name);
    if (!v) continue;
    if (std::optional<std::string> sep = alembic_path_separator(v->value)) return sep;
    problems_.push_back(
        {v->file, v->line,
         "'" + v->value + "' is not a valid value for " + std::string(name) +
             "; expected 'space', 'newline', 'os', ':', ';' (Alembic stops with this "
             "error; version_locations is split on spaces and commas here)"});
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<ConfigValue> AlembicOptions::version_locations() {
  std::vector<ConfigValue> entries;
  std::optional<ConfigValue> written = ini_value("version_locations");
  if (written && !written->value.empty()) {
    for (std::string& part : split_alembic_path_list(written->value, separator())) {
      if (part.empty()) {
        problems_.push_back({written->file, written->line,
                             "version_locations has an empty entry (stray space or comma); Alembic "
                             "would read the current directory for it (ignored here)"});
      } else {
        entries.push_back({part, written->file, written->line});
      }
    }
  } else if (toml_ && toml_->version_locations) {
    for (const TomlString& s : *toml_->version_locations)
      entries.push_back({s.value, toml_path_, s.line});
  }
  return entries;
}

bool AlembicOptions::recursive_version_locations() {
  if (!ini_has("recursive_version_locations")) {
    return toml_ && toml_->recursive_version_locations.value_or(false);
  }
  std::optional<ConfigValue> v = ini_value("recursive_version_locations");
  if (!v) return false;
  static const std::set<std::string> kTruthy{"1",   "yes", "on", "True", "TRUE",
                                             "Yes", "YES", "On", "ON"};
  if (kTruthy.count(v->value) != 0) {
    problems_.push_back({v->file, v->line,
                         "recursive_version_locations = " + v->value +
                             " is read as false: Alembic only accepts the exact value 'true'"});
  }
  return v->value == "true";
}

std::optional<std::string> AlembicOptions::file_template() {
  if (ini_has("file_template")) {
    IniLookup got = ini_->get(section_, "file_template");
    if (!got.error) return escape_percent(got.value);
    problems_.push_back(
        {ini_path_, got.error->line, got.error->message + " (file_template is kept as written)"});
    return ini_->find(section_, "file_template")->raw;
  }
  if (toml_ && toml_->file_template) {
    const TomlString& t = *toml_->file_template;
    return t.formatted ? escape_percent(t.value) : t.raw;
  }
  return std::nullopt;
}

std::optional<long long> AlembicOptions::truncate_slug_length() {
  if (!ini_has("truncate_slug_length")) return toml_ ? toml_->truncate_slug_length : std::nullopt;
  std::optional<ConfigValue> v = ini_value("truncate_slug_length");
  if (!v) return std::nullopt;
  std::optional<long long> n = parse_python_int(v->value);
  if (!n) {
    problems_.push_back(
        {v->file, v->line,
         "truncate_slug_length: invalid literal for int() with base 10: '" + v->value + "'"});
  }
  return n;
}

}  // namespace alembic
