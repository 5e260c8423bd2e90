#include "server/editor_settings.h"

#include <string>

#include "analysis/findings.h"

namespace alembic::server {

namespace {

using json = nlohmann::json;

// Keys that configure the server, not the analysis.
bool is_server_key(const std::string& key) {
  return key == "watchFiles" || key == "pullDiagnostics";
}

std::string canonical_key(const std::string& key) {
  if (key == "expectedHeads") return "expected-heads";
  if (key == "allowMultipleHeads") return "allow-multiple-heads";
  return key;
}

std::string quoted(const std::string& s) {
  // A JSON string literal is a valid TOML basic string (same escapes, \uXXXX included).
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

// A JSON value as a TOML value; false for null (TOML has none), anywhere inside.
bool to_toml(const json& v, std::string& out) {
  switch (v.type()) {
    case json::value_t::string:
      out += quoted(v.get<std::string>());
      return true;
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return true;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      out += v.dump();
      return true;
    case json::value_t::number_float: {
      const double d = v.get<double>();
      if (d == static_cast<double>(static_cast<long long>(d)) && d > -1e15 && d < 1e15) {
        out += std::to_string(static_cast<long long>(d));  // 2.0 from JavaScript is 2
      } else {
        out += v.dump();
      }
      return true;
    }
    case json::value_t::array: {
      out += "[";
      bool first = true;
      for (const json& e : v) {
        if (!first) out += ", ";
        first = false;
        if (!to_toml(e, out)) return false;
      }
      out += "]";
      return true;
    }
    case json::value_t::object: {
      out += "{";
      bool first = true;
      for (const auto& [k, e] : v.items()) {
        if (!first) out += ", ";
        first = false;
        out += quoted(k) + " = ";
        if (!to_toml(e, out)) return false;
      }
      out += "}";
      return true;
    }
    default:
      return false;
  }
}

Finding problem(std::string message) {
  Finding f;
  f.code = std::string(kConfigWarningCode);
  f.severity = Severity::Warning;
  set_message(f, message);
  f.location.path = kEditorSettingsLabel;
  return f;
}

}  // namespace

Settings editor_settings(const json& options) {
  if (options.is_null()) return {};
  if (!options.is_object()) {
    Settings s;
    s.file_name = kEditorSettingsLabel;
    s.problems.push_back(problem(std::string(kEditorSettingsLabel) + " must be an object, not " +
                                 options.type_name()));
    return s;
  }
  std::string text;
  std::vector<Finding> skipped;
  for (const auto& [key, value] : options.items()) {
    if (is_server_key(key)) continue;
    std::string line = quoted(canonical_key(key)) + " = ";
    if (!to_toml(value, line)) {
      skipped.push_back(problem(std::string(kEditorSettingsLabel) + ": '" + key +
                                "' holds null, which is not a value; it is ignored"));
      continue;
    }
    text += line + "\n";
  }
  Settings s = parse_settings_keys(text, kEditorSettingsLabel);
  s.problems.insert(s.problems.end(), skipped.begin(), skipped.end());
  return s;
}

ServerOptions server_options(const nlohmann::json& options) {
  ServerOptions out;
  if (!options.is_object()) return out;
  auto flag = [&](const char* key, std::optional<bool>& value, const char* otherwise) {
    auto it = options.find(key);
    if (it == options.end()) return;
    if (it->is_boolean()) {
      value = it->get<bool>();
    } else {
      out.problems.push_back(std::string("alembic-lsp: initializationOptions.") + key +
                             " must be true or false; " + otherwise);
    }
  };
  flag("watchFiles", out.watch_files, "files are watched");
  flag("pullDiagnostics", out.pull_diagnostics, "diagnostics are pushed");
  return out;
}

}  // namespace alembic::server
