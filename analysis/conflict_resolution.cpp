#include "analysis/conflict_resolution.h"

#include <vector>

namespace alembic {

namespace {

struct Line {
  size_t start, end, next;  // content [start, end), next line at `next`
};

std::vector<Line> lines_of(std::string_view source) {
  std::vector<Line> lines;
  for (size_t at = 0; at < source.size();) {
    size_t eol = source.find('\n', at);
    const size_t next = eol == std::string_view::npos ? source.size() : eol + 1;
    if (eol == std::string_view::npos) eol = source.size();
    size_t end = eol;
    if (end > at && source[end - 1] == '\r') --end;
    lines.push_back({at, end, next});
    at = next;
  }
  return lines;
}

bool marker(std::string_view line, char c) {
  return line.size() >= 7 && line.substr(0, 7) == std::string(7, c) &&
         (line.size() == 7 || line[7] == ' ');
}

std::string label(std::string_view line) {
  return line.size() > 8 ? std::string(line.substr(8)) : std::string();
}

}  // namespace

std::optional<ConflictBlock> conflict_block_at(std::string_view source, uint32_t offset) {
  const std::vector<Line> lines = lines_of(source);
  auto text = [&](size_t k) {
    return source.substr(lines[k].start, lines[k].end - lines[k].start);
  };
  for (size_t k = 0; k < lines.size(); ++k) {
    if (!marker(text(k), '<')) continue;
    size_t base = 0, middle = 0, close = 0;
    for (size_t j = k + 1; j < lines.size() && !close; ++j) {
      if (!middle && !base && marker(text(j), '|'))
        base = j;
      else if (!middle && text(j) == "=======")
        middle = j;
      else if (middle && marker(text(j), '>'))
        close = j;
      else if (marker(text(j), '<'))
        break;  // a new block before this one closed
    }
    if (!middle || !close) continue;
    ConflictBlock block;
    block.start = static_cast<uint32_t>(lines[k].start);
    block.end = static_cast<uint32_t>(lines[close].next);
    if (offset < block.start || offset >= block.end) {
      k = close;
      continue;
    }
    const size_t ours_end = base ? base : middle;
    block.ours = std::string(source.substr(lines[k].next, lines[ours_end].start - lines[k].next));
    block.theirs =
        std::string(source.substr(lines[middle].next, lines[close].start - lines[middle].next));
    block.ours_name = label(text(k));
    block.theirs_name = label(text(close));
    return block;
  }
  return std::nullopt;
}

TextEdit keep_side(const std::string& path, const ConflictBlock& block, bool ours) {
  return TextEdit{path, block.start, block.end, ours ? block.ours : block.theirs};
}

}  // namespace alembic
