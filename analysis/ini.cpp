#include "analysis/ini.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace alembic {
namespace {

// Python's str.isspace() for ASCII, which is what str.strip() and `\S` use here.
bool is_python_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' ||
         (c >= '\x1c' && c <= '\x1f');
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string rstrip(std::string s) {
  while (!s.empty() && is_python_space(s.back())) s.pop_back();
  return s;
}

std::string python_repr(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\'' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Splits on "\r\n", "\r" and "\n", like Python's universal newlines.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

constexpr int kMaxInterpolationDepth = 10;  // configparser.MAX_INTERPOLATION_DEPTH

}  // namespace

std::string_view strip_python_whitespace(std::string_view text) {
  while (!text.empty() && is_python_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_python_space(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<long long> parse_python_int(std::string_view text) {
  text = strip_python_whitespace(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.front() == '_' || text.back() == '_') return std::nullopt;
  long long value = 0;
  char previous = 0;
  for (char c : text) {
    if (c == '_') {
      if (previous == '_') return std::nullopt;
    } else if (c >= '0' && c <= '9') {
      if (value > (std::numeric_limits<long long>::max() - (c - '0')) / 10) return std::nullopt;
      value = value * 10 + (c - '0');
    } else {
      return std::nullopt;
    }
    previous = c;
  }
  return negative ? -value : value;
}

std::optional<std::string> alembic_path_separator(std::string_view value, bool windows) {
  if (value == "space") return " ";
  if (value == "newline") return "\n";
  if (value == "os") return windows ? ";" : ":";  // os.pathsep
  if (value == ":") return ":";
  if (value == ";") return ";";
  return std::nullopt;
}

std::vector<std::string> split_alembic_path_list(std::string_view value,
                                                 const std::optional<std::string>& separator) {
  std::vector<std::string> parts;
  if (separator) {
    for (size_t start = 0;;) {
      size_t next = value.find(*separator, start);
      std::string_view piece =
          strip_python_whitespace(value.substr(start, next == value.npos ? next : next - start));
      if (!piece.empty()) parts.emplace_back(piece);
      if (next == value.npos) return parts;
      start = next + separator->size();
    }
  }
  parts.emplace_back();
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == ',' || value[i] == ' ') {
      while (i + 1 < value.size() && value[i + 1] == ' ') ++i;  // ", *" or " +"
      parts.emplace_back();
    } else {
      parts.back() += value[i];
    }
  }
  return parts;
}

// Mirrors RawConfigParser._read line by line; see the comments for the Python behaviour
// each branch reproduces.
class IniParser {
 public:
  explicit IniParser(IniFile& file) : file_(file) {}

  void read(std::string_view text) {
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (text.substr(0, kBom.size()) == kBom) {
      // Python reads the file as text without stripping the BOM, so the first line
      // does not look like a section header.
      error(1,
            "File starts with a UTF-8 byte order mark, which Python's configparser "
            "does not accept (save the file as UTF-8 without BOM)");
      text.remove_prefix(kBom.size());
    }
    int line_number = 0;
    for (std::string_view line : split_lines(text)) read_line(line, ++line_number);
    finish();
  }

 private:
  // Sections are addressed by index (-1: DEFAULT) because file_.sections_ grows.
  struct PendingValue {
    int section;
    size_t option_index;
    std::vector<std::string> lines;
  };

  void error(int line, std::string message) { file_.errors_.push_back({line, std::move(message)}); }

  IniSection& section_at(int index) {
    return index < 0 ? file_.defaults_ : file_.sections_[static_cast<size_t>(index)];
  }

  void read_line(std::string_view line, int line_number) {
    std::string_view value = strip_python_whitespace(line);
    bool comment = !value.empty() && (value.front() == '#' || value.front() == ';');
    if (value.empty() || comment) {
      // empty_lines_in_values: a blank (not comment) line belongs to the current value;
      // trailing blank lines are removed when values are joined.
      if (!comment && has_section_ && pending_ >= 0)
        values_[static_cast<size_t>(pending_)].lines.emplace_back();
      return;
    }
    size_t indent = 0;
    while (indent < line.size() && is_python_space(line[indent])) ++indent;
    if (has_section_ && pending_ >= 0 && indent > indent_level_) {
      values_[static_cast<size_t>(pending_)].lines.emplace_back(value);
      return;
    }
    indent_level_ = indent;
    if (read_section_header(value, line_number)) return;
    if (!has_section_) {
      if (!missing_header_reported_) {
        error(line_number, "File contains no section headers: line " + std::to_string(line_number) +
                               ": " + python_repr(line));
        missing_header_reported_ = true;
      }
      return;
    }
    read_option(value, line, line_number);
  }

  // `\[(?P<header>.+)\]` matched at the start: the header runs to the last `]`.
  bool read_section_header(std::string_view value, int line_number) {
    if (value.front() != '[') return false;
    size_t close = value.rfind(']');
    if (close == std::string_view::npos || close < 2) return false;
    std::string name(value.substr(1, close - 1));
    pending_ = -1;
    has_section_ = true;
    section_name_ = name;
    if (name == "DEFAULT") {
      section_ = -1;
      return true;
    }
    auto existing = std::find_if(file_.sections_.begin(), file_.sections_.end(),
                                 [&](const IniSection& s) { return s.name == name; });
    if (existing != file_.sections_.end()) {
      error(line_number, "While reading: section " + python_repr(name) + " already exists (line " +
                             std::to_string(existing->line) + ")");
    } else {
      file_.sections_.push_back({name, line_number, {}});
      existing = file_.sections_.end() - 1;
    }
    section_ = static_cast<int>(existing - file_.sections_.begin());
    return true;
  }

  // `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`: the first `=` or `:` splits.
  void read_option(std::string_view value, std::string_view line, int line_number) {
    size_t delimiter = value.find_first_of("=:");
    if (delimiter == std::string_view::npos) {
      error(line_number, "Source contains parsing errors: line " + std::to_string(line_number) +
                             ": " + python_repr(line));
      return;  // like Python, the previous option stays current
    }
    std::string name = lower_ascii(strip_python_whitespace(value.substr(0, delimiter)));
    if (name.empty()) {
      error(line_number, "Source contains parsing errors: line " + std::to_string(line_number) +
                             ": option name missing in " + python_repr(line));
      pending_ = -1;
      return;
    }
    std::string first(strip_python_whitespace(value.substr(delimiter + 1)));
    auto& options = section_at(section_).options;
    auto existing = std::find_if(options.begin(), options.end(),
                                 [&](const IniOption& o) { return o.name == name; });
    size_t index = static_cast<size_t>(existing - options.begin());
    if (existing != options.end() && existing->line != 0) {
      // Python raises DuplicateOptionError here; keep the later value, as a
      // non-strict parser would, so the rest of the file still makes sense.
      error(line_number, "While reading: option " + python_repr(name) + " in section " +
                             python_repr(section_name_) + " already exists (line " +
                             std::to_string(existing->line) + ")");
    }
    if (existing == options.end()) {
      options.push_back({name, "", line_number});
    } else {
      existing->line = line_number;
    }
    values_.push_back({section_, index, {first}});
    pending_ = static_cast<int>(values_.size()) - 1;
  }

  // _join_multiline_values: '\n'.join(lines).rstrip()
  void finish() {
    for (PendingValue& v : values_) {
      std::string joined;
      for (size_t i = 0; i < v.lines.size(); ++i) {
        if (i > 0) joined += '\n';
        joined += v.lines[i];
      }
      section_at(v.section).options[v.option_index].raw = rstrip(std::move(joined));
    }
  }

  IniFile& file_;
  bool has_section_ = false;
  int section_ = -1;
  std::string section_name_;
  std::vector<PendingValue> values_;
  int pending_ = -1;  ///< index into values_ of the option continuation lines go to
  size_t indent_level_ = 0;
  bool missing_header_reported_ = false;
};

IniFile IniFile::parse(std::string_view text,
                       const std::vector<std::pair<std::string, std::string>>& defaults) {
  IniFile file;
  for (const auto& [name, value] : defaults)
    file.defaults_.options.push_back({lower_ascii(name), value, 0});
  IniParser parser(file);
  parser.read(text);
  return file;
}

bool IniFile::has_section(std::string_view name) const {
  return section(name) != nullptr;
}

const IniSection* IniFile::section(std::string_view name) const {
  for (const IniSection& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

const IniOption* IniFile::find(std::string_view section_name, std::string_view option) const {
  std::string name = lower_ascii(option);
  auto in = [&](const IniSection& s) -> const IniOption* {
    for (const IniOption& o : s.options)
      if (o.name == name) return &o;
    return nullptr;
  };
  if (section_name != "DEFAULT") {
    const IniSection* s = section(section_name);
    if (s == nullptr) return nullptr;
    if (const IniOption* o = in(*s)) return o;
  }
  return in(defaults_);
}

// BasicInterpolation._interpolate_some: `%%` -> `%`, `%(name)s` -> the option `name`
// of the same section (or DEFAULT), itself interpolated, at most 10 levels deep.
IniLookup IniFile::get(std::string_view section_name, std::string_view option) const {
  IniLookup result;
  const IniOption* start = find(section_name, option);
  if (start == nullptr) return result;
  result.found = true;
  result.line = start->line;
  std::string section_text(section_name);
  std::string option_name = lower_ascii(option);
  auto fail = [&](std::string message) {
    result.value.clear();
    result.error = IniError{start->line, std::move(message)};
    return result;
  };

  struct Frame {
    std::string_view rest;
    int depth;
  };
  std::vector<Frame> stack{{start->raw, 1}};
  std::string out;
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.depth > kMaxInterpolationDepth) {
      return fail("Recursion limit exceeded in value substitution: option " +
                  python_repr(option_name) + " in section " + python_repr(section_text) +
                  " contains an interpolation key which cannot be substituted in " +
                  std::to_string(kMaxInterpolationDepth) +
                  " steps. Raw value: " + python_repr(start->raw));
    }
    size_t percent = frame.rest.find('%');
    if (percent == std::string_view::npos) {
      out += frame.rest;
      stack.pop_back();
      continue;
    }
    out += frame.rest.substr(0, percent);
    std::string_view rest = frame.rest.substr(percent);
    if (rest.size() >= 2 && rest[1] == '%') {
      out += '%';
      frame.rest = rest.substr(2);
    } else if (rest.size() >= 2 && rest[1] == '(') {
      size_t close = rest.find(')', 2);
      if (close == std::string_view::npos || close == 2 || close + 1 >= rest.size() ||
          rest[close + 1] != 's') {
        return fail("bad interpolation variable reference " + python_repr(rest) + " (option " +
                    python_repr(option_name) + " in section " + python_repr(section_text) + ")");
      }
      std::string_view key = rest.substr(2, close - 2);
      frame.rest = rest.substr(close + 2);
      const IniOption* referenced = find(section_name, key);
      if (referenced == nullptr) {
        return fail("Bad value substitution: option " + python_repr(option_name) + " in section " +
                    python_repr(section_text) + " contains an interpolation key " +
                    python_repr(lower_ascii(key)) +
                    " which is not a valid option name. Raw value: " + python_repr(start->raw));
      }
      if (referenced->raw.find('%') == std::string::npos) {
        out += referenced->raw;
      } else {
        int depth = frame.depth + 1;
        stack.push_back({referenced->raw, depth});  // `frame` is not used after this
      }
    } else {
      return fail("'%' must be followed by '%' or '(', found: " + python_repr(rest) + " (option " +
                  python_repr(option_name) + " in section " + python_repr(section_text) + ")");
    }
  }
  result.value = std::move(out);
  return result;
}

}  // namespace alembic
