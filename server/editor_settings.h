// The [tool.alembic-lsp] keys an editor sends in initializationOptions (or in
// workspace/didChangeConfiguration under "alembic-lsp"), read with the same rules and
// messages as the project's pyproject.toml.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/settings.h"

namespace alembic::server {

/// The section of workspace/didChangeConfiguration's settings that is this server's.
inline constexpr const char* kSettingsSection = "alembic-lsp";

/// The initializationOptions the server itself reads (not analysis settings).
struct ServerOptions {
  std::optional<bool> watch_files;       ///< watchFiles
  std::optional<bool> pull_diagnostics;  ///< pullDiagnostics
  /// What was wrong with them, for the user ("...must be true or false; ...").
  std::vector<std::string> problems;
};
ServerOptions server_options(const nlohmann::json& options);

/// Where editor settings come from, as messages name it.
inline constexpr const char* kEditorSettingsLabel = "the editor's alembic-lsp settings";

/// Reads the analysis keys of `options` (an object; other JSON types give a problem):
/// expected-heads, allow-multiple-heads, ignore, severity, also spelled expectedHeads and
/// allowMultipleHeads. Keys the server itself reads (watchFiles, pullDiagnostics) are skipped; any
/// other key is a config-warning problem, as in pyproject.toml.
Settings editor_settings(const nlohmann::json& options);

}  // namespace alembic::server
