#include "analysis/pyproject.h"

#include <toml++/toml.h>

#include <sstream>

#include "analysis/ini.h"

namespace alembic {
namespace {

int line_of(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

class TableReader {
 public:
  TableReader(const toml::table& table, std::string_view here, PyprojectAlembic& out)
      : table_(table), here_(here), out_(out) {}

  void problem(int line, std::string message) { out_.problems.push_back({line, std::move(message)}); }

  std::optional<TomlString> format(const toml::node& node, std::string_view key) {
    const std::string& raw = node.as_string()->get();
    std::string error;
    std::optional<std::string> value = python_percent_format(raw, here_, &error);
    if (!value) {
      problem(line_of(node), "[tool.alembic] " + std::string(key) + ": " + error);
      return std::nullopt;
    }
    return TomlString{*value, raw, line_of(node)};
  }

  std::optional<TomlString> string_option(std::string_view key) {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_string()) {
      problem(line_of(*node), "[tool.alembic] " + std::string(key) + " must be a string");
      return std::nullopt;
    }
    return format(*node, key);
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
          problem(line_of(*node), "[tool.alembic] truncate_slug_length: invalid literal for int(): " +
                                      quoted(text->value));
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
      if (error) *error = "incomplete or unsupported format in " + quoted(text) + " (write %% for a literal %)";
      return std::nullopt;
    }
    std::string_view key = text.substr(2, close - 2);
    if (key != "here") {
      if (error) *error = "unknown substitution key " + quoted(key) + " (only %(here)s is known; write %% for a literal %)";
      return std::nullopt;
    }
    if (text[close + 1] != 's') {
      if (error) *error = "unsupported format character " + quoted(text.substr(close + 1, 1)) + " after %(here)";
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
  out.file_template = reader.string_option("file_template");
  reader.truncate_slug_length();
  reader.recursive_version_locations();
  return out;
}

}  // namespace alembic
