#include "analysis/alembic_version.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "analysis/findings.h"

namespace alembic {

namespace fs = std::filesystem;

namespace {

using Triple = std::array<int, 3>;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "1.13.2", "1.13", "1.13.*", "1.13.2.post1", "1.13.0rc1": the leading numbers (up to 3)
// and how many there were; a trailing ".*" sets `wildcard`.
struct Parsed {
  Triple v{0, 0, 0};
  int parts = 0;
  bool wildcard = false;
};

std::optional<Parsed> parse_version(std::string_view s) {
  s = trim(s);
  if (!s.empty() && (s.front() == 'v' || s.front() == 'V')) s.remove_prefix(1);
  Parsed p;
  size_t i = 0;
  while (p.parts < 3 && i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    int n = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (n > 100000) return std::nullopt;
      n = n * 10 + (s[i++] - '0');
    }
    p.v[static_cast<size_t>(p.parts++)] = n;
    if (i < s.size() && s[i] == '.') {
      ++i;
      if (i < s.size() && s[i] == '*') {
        p.wildcard = true;
        return p;
      }
    } else {
      break;
    }
  }
  if (p.parts == 0) return std::nullopt;
  return p;
}

std::string text_of(const Triple& v) {
  return std::to_string(v[0]) + "." + std::to_string(v[1]) + "." + std::to_string(v[2]);
}

// The first release after all of `p`'s series: 1.13 -> 2.0.0 for ~= / ^ style bumps.
Triple bump(const Parsed& p, int keep) {
  Triple out{0, 0, 0};
  for (int k = 0; k < keep && k < 3; ++k) out[static_cast<size_t>(k)] = p.v[static_cast<size_t>(k)];
  const int at = std::max(0, keep - 1);
  ++out[static_cast<size_t>(at)];
  for (int k = at + 1; k < 3; ++k) out[static_cast<size_t>(k)] = 0;
  return out;
}

// Keeps the tighter of two upper bounds (Below b is tighter than AtMost b).
void tighten(AlembicVersion& v, AlembicVersion::Kind kind, const Triple& bound) {
  using K = AlembicVersion::Kind;
  if (v.kind == K::Exact) return;
  const bool tighter = v.kind == K::Newest || bound < v.bound ||
                       (bound == v.bound && kind == K::Below && v.kind == K::AtMost);
  if (tighter) {
    v.kind = kind;
    v.bound = bound;
  }
}

std::optional<AlembicVersion> poetry_constraint(std::string_view c) {
  using K = AlembicVersion::Kind;
  AlembicVersion v;
  if (c == "*" || c.empty()) return v;
  const char first = c.front();
  if (first == '^' || (first == '~' && (c.size() < 2 || c[1] != '='))) {
    auto p = parse_version(c.substr(1));
    if (!p) return std::nullopt;
    if (first == '^') {
      int keep = 1;  // ^1.2.3 -> <2.0.0; ^0.2.3 -> <0.3.0; ^0.0.3 -> <0.0.4
      while (keep < p->parts && keep < 3 && p->v[static_cast<size_t>(keep - 1)] == 0) ++keep;
      tighten(v, K::Below, bump(*p, keep));
    } else {
      tighten(v, K::Below, bump(*p, p->parts >= 2 ? 2 : 1));  // ~1.2.3 -> <1.3.0
    }
    return v;
  }
  if (std::isdigit(static_cast<unsigned char>(first))) {  // a bare version: exactly it
    auto p = parse_version(c);
    if (!p) return std::nullopt;
    if (p->wildcard) {
      tighten(v, K::Below, bump(*p, p->parts));
    } else {
      v.kind = K::Exact;
      v.bound = p->v;
    }
    return v;
  }
  return std::nullopt;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_alembic_name(std::string_view name) {
  return lower(trim(name)) == "alembic";
}

// [project] dependencies and [tool.poetry.dependencies] of a pyproject.toml.
std::optional<AlembicVersion> from_pyproject(std::string_view text, std::string& written) {
  toml::table doc;
  try {
    doc = toml::parse(text);
  } catch (const toml::parse_error&) {
    return std::nullopt;  // the settings reader reports an unreadable file
  }
  if (const toml::array* deps = doc["project"]["dependencies"].as_array()) {
    for (const toml::node& d : *deps) {
      const auto* s = d.as_string();
      if (!s) continue;
      if (auto v = parse_alembic_requirement(s->get())) {
        written = s->get();
        return v;
      }
    }
  }
  if (const toml::table* deps = doc["tool"]["poetry"]["dependencies"].as_table()) {
    for (auto&& [key, value] : *deps) {
      if (!is_alembic_name(key.str())) continue;
      std::string constraint;
      if (const auto* s = value.as_string()) constraint = s->get();
      if (const auto* t = value.as_table())
        if (const auto* s = (*t)["version"].as_string()) constraint = s->get();
      written = "alembic = \"" + constraint + "\"";
      if (auto v = poetry_constraint(trim(constraint))) return v;
      if (auto v = parse_alembic_constraint(constraint)) return v;
      return AlembicVersion{};
    }
  }
  return std::nullopt;
}

bool is_requirements_file(std::string_view name) {
  return name.starts_with("requirements") && name.size() > 4 && name.ends_with(".txt");
}

std::optional<AlembicVersion> from_directory(const fs::path& dir) {
  std::error_code ec;
  for (const char* lock : {"uv.lock", "poetry.lock"}) {
    const fs::path path = dir / lock;
    if (!fs::is_regular_file(path, ec)) continue;
    if (auto locked = locked_alembic_version(read_text(path))) {
      if (auto p = parse_version(*locked)) {
        AlembicVersion v;
        v.kind = AlembicVersion::Kind::Exact;
        v.bound = p->v;
        v.source = lock;
        v.requirement = "alembic " + *locked;
        return v;
      }
    }
  }
  std::vector<fs::path> requirement_files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (is_requirements_file(name) && entry.is_regular_file(ec))
      requirement_files.push_back(entry.path());
  }
  std::sort(requirement_files.begin(), requirement_files.end());
  for (const fs::path& path : requirement_files) {
    std::istringstream lines(read_text(path));
    std::string line;
    while (std::getline(lines, line)) {
      if (auto v = parse_alembic_requirement(line)) {
        v->source = path.filename().string();
        v->requirement = std::string(trim(line));
        return v;
      }
    }
  }
  const fs::path pyproject = dir / "pyproject.toml";
  if (fs::is_regular_file(pyproject, ec)) {
    std::string written;
    if (auto v = from_pyproject(read_text(pyproject), written)) {
      v->source = "pyproject.toml";
      v->requirement = written;
      return v;
    }
  }
  return std::nullopt;
}

}  // namespace

bool AlembicVersion::at_least(std::array<int, 3> v) const {
  switch (kind) {
    case Kind::Newest:
      return true;
    case Kind::Exact:
    case Kind::AtMost:
      return bound >= v;
    case Kind::Below:
      return v < bound;
  }
  return true;
}

std::string AlembicVersion::version_text() const {
  switch (kind) {
    case Kind::Newest:
      return "newest";
    case Kind::Exact:
      return text_of(bound);
    case Kind::Below:
      return "newest below " + text_of(bound);
    case Kind::AtMost:
      return "newest up to " + text_of(bound);
  }
  return "newest";
}

std::string AlembicVersion::name() const {
  switch (kind) {
    case Kind::Newest:
      return "the newest Alembic";
    case Kind::Exact:
      return "Alembic " + text_of(bound);
    case Kind::Below:
      return "Alembic below " + text_of(bound);
    case Kind::AtMost:
      return "Alembic up to " + text_of(bound);
  }
  return "the newest Alembic";
}

std::string AlembicVersion::describe() const {
  if (source.empty()) return version_text() + " (no pin found)";
  return version_text() + " (from " + source + ": " + requirement + ")";
}

std::optional<AlembicVersion> parse_alembic_constraint(std::string_view spec) {
  using K = AlembicVersion::Kind;
  AlembicVersion v;
  spec = trim(spec);
  if (spec.empty()) return v;
  if (spec.front() == '^' || spec.front() == '*' ||
      std::isdigit(static_cast<unsigned char>(spec.front())) ||
      (spec.front() == '~' && (spec.size() < 2 || spec[1] != '=')))
    return poetry_constraint(spec);
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view clause = trim(spec.substr(start, comma - start));
    start = comma + 1;
    if (clause.empty()) continue;
    std::string_view op;
    for (std::string_view o : {"===", "==", "~=", "!=", "<=", ">=", "<", ">"})
      if (clause.substr(0, o.size()) == o) {
        op = o;
        break;
      }
    if (op.empty()) return std::nullopt;
    auto p = parse_version(clause.substr(op.size()));
    if (!p) return std::nullopt;
    if (op == "==" || op == "===") {
      if (p->wildcard) {
        tighten(v, K::Below, bump(*p, p->parts));
      } else {
        v.kind = K::Exact;
        v.bound = p->v;
      }
    } else if (op == "<") {
      tighten(v, K::Below, p->v);
    } else if (op == "<=") {
      tighten(v, K::AtMost, p->v);
    } else if (op == "~=") {
      tighten(v, K::Below, bump(*p, std::max(1, p->parts - 1)));
    }  // >=, >, != leave the newest allowed
  }
  return v;
}

std::optional<AlembicVersion> parse_alembic_requirement(std::string_view line) {
  if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
  if (size_t semi = line.find(';'); semi != std::string_view::npos) line = line.substr(0, semi);
  line = trim(line);
  size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '-' ||
                             line[i] == '_' || line[i] == '.'))
    ++i;
  if (!is_alembic_name(line.substr(0, i))) return std::nullopt;
  std::string_view rest = trim(line.substr(i));
  if (!rest.empty() && rest.front() == '[') {  // extras: alembic[tz]
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    rest = trim(rest.substr(close + 1));
  }
  if (!rest.empty() && rest.front() == '(' && rest.back() == ')')
    rest = trim(rest.substr(1, rest.size() - 2));
  if (rest.empty()) return AlembicVersion{};
  if (rest.front() == '@') return AlembicVersion{};  // a URL: unknown, the newest
  return parse_alembic_constraint(rest);
}

std::optional<std::string> locked_alembic_version(std::string_view text) {
  // Both formats list `[[package]]` tables with `name = "..."` and `version = "..."`.
  bool in_alembic = false;
  std::optional<std::string> version_in_block;
  bool in_package = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (!line.empty() && line.front() == '[') {
      if (in_alembic && version_in_block) return version_in_block;
      in_package = line == "[[package]]";
      in_alembic = false;
      version_in_block.reset();
      continue;
    }
    if (!in_package) continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = trim(line.substr(0, eq));
    std::string_view value = trim(line.substr(eq + 1));
    if (value.size() < 2 || (value.front() != '"' && value.front() != '\'')) continue;
    value = value.substr(1, value.find(value.front(), 1) - 1);
    if (key == "name") in_alembic = is_alembic_name(value);
    if (key == "version") version_in_block = std::string(value);
  }
  if (in_alembic && version_in_block) return version_in_block;
  return std::nullopt;
}

bool is_alembic_version_file(std::string_view name) {
  return name == "uv.lock" || name == "poetry.lock" || name == "pyproject.toml" ||
         is_requirements_file(name);
}

AlembicVersion detect_alembic_version(const fs::path& start,
                                      const std::optional<std::string>& setting) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (int depth = 0; depth < 64 && !dir.empty(); ++depth) {
    if (auto v = from_directory(dir)) return *v;
    if (fs::exists(dir / ".git", ec)) break;  // the repository's root: the project ends here
    const fs::path up = dir.parent_path();
    if (up == dir) break;
    dir = up;
  }
  if (setting) {
    std::optional<AlembicVersion> v = parse_alembic_constraint(*setting);
    if (v) {
      v->source = "[tool.alembic-lsp] alembic-version";
      v->requirement = "\"" + *setting + "\"";
      return *v;
    }
  }
  return AlembicVersion{};
}

void apply_alembic_version(std::vector<Finding>& findings, const AlembicVersion& version) {
  const std::string who = version.name();
  for (Finding& f : findings) {
    if (f.code == codes::kEmptyDownRevision) {
      if (version.at_least({1, 12, 1})) {
        f.severity = Severity::Error;
        f.detail = who +
                   " fails loading the history with KeyError: '' (Alembic before 1.12.1 "
                   "read it as a base); write `down_revision = None` for a base, or the "
                   "parent's id.";
      } else {
        f.severity = Severity::Warning;
        f.detail = who +
                   " reads it as a base; Alembic 1.12.1 and later fail with KeyError: ''. "
                   "Write `down_revision = None`.";
      }
    } else if (f.code == codes::kInvalidRevisionId &&
               f.detail.find("Character(s) ':' not allowed") == 0 &&
               !version.at_least({1, 17, 1})) {
      const size_t end = f.detail.find(';');
      f.severity = Severity::Warning;
      f.detail = who + " still loads it, but Alembic 1.17.1 and later refuse to (" +
                 f.detail.substr(0, end) +
                 "), and `alembic upgrade` reads ':' as a range. "
                 "Revision ids may not contain @ - + :.";
    }
  }
  if (!version.at_least({1, 12, 1})) return;
  // Alembic 1.12.1+ never sees a base there: it stops at the KeyError.
  std::vector<Location> at;
  for (const Finding& f : findings)
    if (f.code == codes::kEmptyDownRevision) at.push_back(f.location);
  if (at.empty()) return;
  findings.erase(std::remove_if(findings.begin(), findings.end(),
                                [&](const Finding& f) {
                                  if (f.code != codes::kUnexpectedBase) return false;
                                  for (const Location& l : at)
                                    if (l.path == f.location.path &&
                                        l.range.start_line == f.location.range.start_line)
                                      return true;
                                  return false;
                                }),
                 findings.end());
}

}  // namespace alembic
