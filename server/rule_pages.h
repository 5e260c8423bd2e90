// Where a finding code's rule page is (docs/rules/CODE.md): the href of an LSP diagnostic's
// codeDescription and of a SARIF rule's helpUri.
//
// The repository has no public URL, so the pages travel with the binary: `make install`,
// the .deb and .tgz put them in share/doc/alembic-lsp/rules/ beside bin/, the wheel in the
// same place below its prefix, the .vsix in server/rules/ beside server/<platform>/; a
// binary run from its build tree finds them in the source tree. A base URL (--rules-url or
// ALEMBIC_LSP_RULES_URL) replaces the file:// links, e.g. for a published copy of the pages.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace alembic::server {

/// Environment variable read when no --rules-url is given.
inline constexpr const char* kRulesUrlVariable = "ALEMBIC_LSP_RULES_URL";

/// Uses `base` (a URL of the folder that holds CODE.md; a trailing '/' is added) for every
/// href from now on; an empty string goes back to ALEMBIC_LSP_RULES_URL, then to the pages
/// found beside the binary.
void set_rules_base_url(std::string base);

/// The folder of rule pages found beside the running binary (see above), if any.
std::optional<std::filesystem::path> installed_rules_directory();

/// The href of `code`'s rule page: base URL + CODE.md, or a file:// URI of the installed
/// page; nullopt when neither is known (unknown code, or no pages found).
std::optional<std::string> rule_page_href(std::string_view code);

}  // namespace alembic::server
