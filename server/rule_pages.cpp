#include "server/rule_pages.h"

#include <cstdlib>
#include <mutex>
#include <system_error>

#include "analysis/finding_rules.h"
#include "platform/path_text.h"
#include "platform/system.h"
#include "server/uri.h"

namespace alembic::server {

namespace fs = std::filesystem;

namespace {

std::mutex& lock() {
  static std::mutex m;
  return m;
}

std::string& configured_base() {
  static std::string base;
  return base;
}

std::string with_slash(std::string base) {
  if (!base.empty() && base.back() != '/') base += '/';
  return base;
}

bool holds_pages(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(
      dir / platform::utf8_path(std::string(rule_of(Code::MultipleHeads).code) + ".md"), ec);
}

std::optional<fs::path> find_directory() {
  const fs::path exe = platform::executable_path();
  if (exe.empty()) return std::nullopt;
  const fs::path bin = exe.parent_path();
  // Installed (bin/../share/doc/alembic-lsp/rules), then the .vsix (server/<platform>/..),
  // then the Windows .zip (rules\ beside alembic-lsp.exe).
  for (const fs::path& dir : {bin.parent_path() / "share" / "doc" / "alembic-lsp" / "rules",
                              bin.parent_path() / "rules", bin / "rules"})
    if (holds_pages(dir)) return dir.lexically_normal();
#if defined(ALEMBIC_LSP_BINARY_DIR) && defined(ALEMBIC_LSP_SOURCE_DIR)
  // Run from its build tree: the pages of the source tree it was built from.
  const fs::path build = fs::path(ALEMBIC_LSP_BINARY_DIR).lexically_normal();
  const fs::path rel = exe.lexically_normal().lexically_relative(build);
  if (!rel.empty() && *rel.begin() != "..") {
    const fs::path dir = fs::path(ALEMBIC_LSP_SOURCE_DIR) / "docs" / "rules";
    if (holds_pages(dir)) return dir.lexically_normal();
  }
#endif
  return std::nullopt;
}

}  // namespace

void set_rules_base_url(std::string base) {
  std::lock_guard<std::mutex> guard(lock());
  configured_base() = with_slash(std::move(base));
}

std::optional<fs::path> installed_rules_directory() {
  static const std::optional<fs::path> dir = find_directory();
  return dir;
}

std::optional<std::string> rule_page_href(std::string_view code) {
  if (!find_rule(code)) return std::nullopt;
  const std::string page = std::string(code) + ".md";
  {
    std::lock_guard<std::mutex> guard(lock());
    if (!configured_base().empty()) return configured_base() + page;
  }
  if (const char* env = std::getenv(kRulesUrlVariable); env && *env) return with_slash(env) + page;
  if (auto dir = installed_rules_directory())
    return path_to_uri((*dir / platform::utf8_path(page)).string());
  return std::nullopt;
}

}  // namespace alembic::server
