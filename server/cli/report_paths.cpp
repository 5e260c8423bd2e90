// Paths and columns as CI systems expect them: relative to the repository, UTF-16 columns.
#include "analysis/discovery.h"
#include "analysis/git.h"
#include "platform/path_text.h"
#include "server/cli/report_formats.h"

namespace alembic::cli {

namespace fs = std::filesystem;

fs::path report_root() {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) return fs::path("/");
  if (auto top = git::toplevel(cwd, nullptr)) return *top;
  return cwd;
}

std::optional<std::string> relative_to_root(const std::string& path, const fs::path& root) {
  std::error_code ec;
  fs::path abs = fs::absolute(platform::utf8_path(path), ec);
  if (ec) return std::nullopt;
  abs = abs.lexically_normal();
  // The root git reports is a real path; the finding's path may go through a symlink.
  fs::path rel = abs.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") {
    fs::path real = fs::weakly_canonical(abs, ec);
    if (ec) return std::nullopt;
    rel = real.lexically_relative(fs::weakly_canonical(root, ec));
    if (ec || rel.empty() || *rel.begin() == "..") return std::nullopt;
  }
  return rel.generic_string();
}

uint32_t Utf16Columns::column(const std::string& path, uint32_t line, uint32_t byte_column) {
  auto it = files_.find(path);
  if (it == files_.end()) {
    std::optional<std::vector<std::string>> lines;
    try {
      const std::string text = read_file_bytes(path);
      lines.emplace();
      size_t start = 0;
      while (start <= text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines->push_back(text.substr(start, end - start));
        start = end + 1;
      }
    } catch (const std::exception&) {
    }
    it = files_.emplace(path, std::move(lines)).first;
  }
  if (!it->second || line >= it->second->size()) return byte_column + 1;
  const std::string& text = (*it->second)[line];
  uint32_t units = 0;
  for (size_t i = 0; i < text.size() && i < byte_column;) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80         ? 1
                       : (c >> 5) == 6  ? 2
                       : (c >> 4) == 14 ? 3
                       : (c >> 3) == 30 ? 4
                                        : 1;
    units += len == 4 ? 2 : 1;  // a code point above U+FFFF is a surrogate pair
    i += len;
  }
  return units + 1;
}

}  // namespace alembic::cli
