// Values written as constants: `branch_labels = (cli.CONTRACT_BRANCH,)`,
// `down_revision = PREVIOUS`, `branch_labels = migration.EXPAND_BRANCH`. Read
// statically from the migration and from the project's own modules, never executed.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/model.h"

namespace alembic {

/// True when one of the four Alembic values of `parsed` has an element written as a
/// name or a dotted name that the parser left unresolved: the only migrations the
/// resolver reads again. Cheap; false for literal-only migrations.
bool has_named_values(const ParsedMigration& parsed);

/// The text of a Python module at an absolute path, or nothing when it cannot be read.
using ModuleReader = std::function<std::optional<std::string>(const std::filesystem::path&)>;

/// Files larger than this are not read as modules.
inline constexpr size_t kMaxModuleBytes = 1 << 20;

/// The default ModuleReader: a regular file of at most kMaxModuleBytes, else nothing.
std::optional<std::string> read_module_file(const std::filesystem::path& path);

/// Resolves names in migration values the way Python would bind them, without running
/// anything. Followed:
/// - a module-level binding in the migration made before the use: `NAME = <str>`,
///   `NAME = None`, a tuple / list of those, or another such name (`A = B`);
/// - a class attribute: `Foo.BAR` with `class Foo:` and `BAR = <value>` in its body;
/// - an import of the project's own modules: `import a.b`, `import a.b as z`,
///   `from a.b import c [as d]` (c a constant or a submodule), relative imports
///   (`from . import consts`, `from .consts import X`), then the module's final
///   module-level binding (the same forms, imports included, up to 24 steps).
/// Absolute imports are looked up in the migration's directory and its ancestors up to
/// the project root (the nearest one holding .git, pyproject.toml, setup.py or
/// setup.cfg), never in site-packages or any installed package. A name bound by
/// anything else (a call, a def, a loop, inside if / try / with / for / while, by a
/// star import, a module with a syntax error, an import cycle) stays unresolved.
/// Each module is read and parsed at most once per resolver (thread-safe cache).
class ConstantResolver {
 public:
  /// `read` defaults to reading the disk (files up to kMaxModuleBytes).
  explicit ConstantResolver(ModuleReader read = {});
  ~ConstantResolver();
  ConstantResolver(const ConstantResolver&) = delete;
  ConstantResolver& operator=(const ConstantResolver&) = delete;

  /// Moves the elements of `parsed`'s values that resolve from `unresolved` to
  /// `strings` (range: where the name is written), or makes the whole value a
  /// sequence / None when a lone name stands for one. `source` is the migration's
  /// text, `migration` its absolute path. `consulted` receives every module file read
  /// for it (to watch for changes). Does nothing when has_named_values is false.
  void resolve(const std::filesystem::path& migration, std::string_view source,
               ParsedMigration& parsed, std::vector<std::filesystem::path>* consulted = nullptr);

  /// Drops the cached reading of one module (its text changed), or of all.
  void forget(const std::filesystem::path& module);
  void forget_all();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace alembic
