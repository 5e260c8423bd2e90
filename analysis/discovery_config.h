// The configuration half of discovery (discovery.cpp walks folders): one directory's
// alembic.ini and pyproject.toml read together, and the environments they declare.
// Internal to analysis/.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/discovery.h"
#include "analysis/ini.h"
#include "analysis/pyproject.h"

namespace alembic {
namespace fs = std::filesystem;
}

namespace alembic::discovery_detail {

// Both config files of one directory, as Alembic 1.16+ reads them together.
struct DirConfig {
  fs::path dir;
  std::optional<fs::path> ini_path;
  std::optional<IniFile> ini;
  std::optional<fs::path> toml_path;
  std::optional<PyprojectAlembic> toml;
};

/// Absolute and lexically normal, without a trailing separator.
fs::path absolute_normal(const fs::path& p);

/// `p` relative to `root` as environments are named ("." names the root by its folder).
std::string display_name(const fs::path& p, const fs::path& root);

/// A file's text, or nullopt with a fatal problem.
std::optional<std::string> read_text(const fs::path& path, std::vector<DiscoveryProblem>& problems);

/// Reads the configs of `dir`; `ini_path`/`toml_path` when given explicitly.
DirConfig read_dir_config(const fs::path& dir, std::optional<fs::path> ini_path,
                          std::optional<fs::path> toml_path,
                          std::vector<DiscoveryProblem>& problems);

/// Adds the environments `config` declares, and the problems met, to `out`; names are
/// relative to `root`.
void build_environments(const DirConfig& config, const fs::path& root, Discovery& out);

}  // namespace alembic::discovery_detail
