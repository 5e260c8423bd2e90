#include "analysis/head_file.h"

#include <algorithm>
#include <set>

#include "analysis/conflict_resolution.h"
#include "analysis/finding_rules.h"
#include "analysis/findings.h"
#include "analysis/source_edit.h"
#include "platform/path_text.h"

namespace alembic {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kComment =
    "# The head revision of the Alembic migrations, kept by alembic-lsp ([tool.alembic-lsp]\n"
    "# head-file). A git conflict in this file means two branches each added a migration:\n"
    "# merge the heads (alembic-lsp merge) or rebase one branch onto the other head.\n";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_ids(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != ',') ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string joined(const std::vector<std::string>& ids, const char* sep = ", ") {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : sep) + id;
  return out;
}

std::string listed(const std::vector<std::string>& ids) {
  return ids.empty() ? std::string("no revision") : joined(ids);
}

bool is_marker(std::string_view line) {
  return line.starts_with("<<<<<<<") || line.starts_with(">>>>>>>") ||
         line.starts_with("|||||||") || line == "=======" || line.starts_with("======= ");
}

// Lines of `text` as [start, end) byte ranges without their line breaks.
std::vector<std::pair<uint32_t, uint32_t>> lines_of(std::string_view text) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(end));
    start = end + 1;
  }
  return out;
}

// A byte range of `text` with lines and columns (bytes).
SourceRange range_in(std::string_view text, uint32_t start, uint32_t end) {
  SourceRange r;
  r.start_byte = start;
  r.end_byte = end;
  auto place = [&](uint32_t at, uint32_t& line, uint32_t& column) {
    line = 0;
    uint32_t line_start = 0;
    for (uint32_t i = 0; i < at && i < text.size(); ++i)
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    column = at - line_start;
  };
  place(start, r.start_line, r.start_column);
  place(end, r.end_line, r.end_column);
  return r;
}

Finding finding(const std::string& path, SourceRange range, const std::string& message,
                const std::string& detail) {
  Finding f;
  f.code = std::string(rule_of(Code::HeadFileMismatch).code);
  f.severity = rule_of(Code::HeadFileMismatch).default_severity;
  set_message(f, message);
  if (!detail.empty()) f.detail = f.detail.empty() ? detail : f.detail + " " + detail;
  f.location = {path, range};
  return f;
}

std::vector<std::string> unique_sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// The revisions where the histories of `a` and `b` part: their common ancestors none of
// whose children is also a common ancestor. Empty when either is unknown.
std::vector<std::string> fork_points(const GraphAnalysis& graph, const std::string& a,
                                     const std::string& b) {
  const long ia = graph.find(a), ib = graph.find(b);
  if (ia < 0 || ib < 0) return {};
  const std::vector<bool> from_a = ancestors_of(graph, static_cast<size_t>(ia));
  const std::vector<bool> from_b = ancestors_of(graph, static_cast<size_t>(ib));
  auto common = [&](long i) {
    return i >= 0 && from_a[static_cast<size_t>(i)] && from_b[static_cast<size_t>(i)];
  };
  std::vector<std::string> out;
  for (size_t i = 0; i < graph.revisions.size(); ++i) {
    if (!common(static_cast<long>(i))) continue;
    const Revision& r = graph.revisions[i];
    if (std::none_of(r.children.begin(), r.children.end(),
                     [&](const std::string& c) { return common(graph.find(c)); }))
      out.push_back(r.id);
  }
  return unique_sorted(std::move(out));
}

// The ids a side of a conflict block records for subject `k` of `file`.
std::vector<std::string> side_ids(const HeadFile& file, size_t k, std::string_view side) {
  for (const HeadFileEntry& e : parse_head_file(side))
    if (file.keyed_lines ? e.key == file.keys[k] : e.key.empty() || e.key == file.keys[k])
      return unique_sorted(e.ids);
  return {};
}

std::string side_name(const std::string& name, const char* fallback) {
  return name.empty() ? std::string(fallback) : "'" + name + "'";
}

// One finding per conflict block, saying which environment forked where.
void conflict_findings(const HeadFile& file, const std::string& text, std::vector<Finding>& out) {
  for (const auto& [start, end] : lines_of(text)) {
    if (!std::string_view(text).substr(start, end - start).starts_with("<<<<<<<")) continue;
    const std::optional<ConflictBlock> block = conflict_block_at(text, start);
    if (!block) continue;
    std::string what, detail;
    std::vector<std::string> revisions;
    for (size_t k = 0; k < file.subjects.size(); ++k) {
      const std::vector<std::string> ours = side_ids(file, k, block->ours);
      const std::vector<std::string> theirs = side_ids(file, k, block->theirs);
      if (ours == theirs) continue;
      const GraphAnalysis& graph = *file.subjects[k].graph;
      std::vector<std::string> forks;
      if (ours.size() == 1 && theirs.size() == 1) forks = fork_points(graph, ours[0], theirs[0]);
      const std::string env = file.keyed_lines ? " of " + file.keys[k] : std::string();
      if (what.empty())
        what = forks.empty() ? "two branches each added a migration" + env
                             : "two branches each added a migration" + env + " on " +
                                   (forks.size() == 1 ? "head " : "heads ") + joined(forks);
      detail += (detail.empty() ? "" : " ") + std::string("One side (") +
                side_name(block->ours_name, "ours") + ") names " + listed(ours) + ", the other (" +
                side_name(block->theirs_name, "theirs") + ") names " + listed(theirs) + env + ".";
      revisions.insert(revisions.end(), ours.begin(), ours.end());
      revisions.insert(revisions.end(), theirs.begin(), theirs.end());
    }
    if (what.empty()) what = "the two sides name the same heads";
    Finding f = finding(file.name, range_in(text, block->start, block->end),
                        "Git conflict in the head file: " + what + ".",
                        detail +
                            " Merge the heads (the 'Merge heads' code action, or `alembic-lsp "
                            "merge`), or rebase one branch onto the other head (the 'Rebase this "
                            "branch' code action) if it was never applied to a database; both "
                            "rewrite this file without the markers.");
    f.revisions = unique_sorted(std::move(revisions));
    out.push_back(std::move(f));
  }
}

// Why `ids` (recorded) are not `heads` (the graph's), for subject k.
std::string mismatch(const GraphAnalysis& graph, const std::vector<std::string>& ids,
                     const std::vector<std::string>& heads, const std::string& env) {
  for (const std::string& id : ids)
    if (graph.find(id) < 0)
      return "The head file names '" + brief(id) + "'" + env + ", which is no revision.";
  if (heads.size() > 1)
    return "The history" + env + " has " + std::to_string(heads.size()) +
           " heads; the head file names " + listed(ids) + ".";
  return "The head file names " + listed(ids) + env + " but the head is " + listed(heads) + ".";
}

}  // namespace

std::string head_file_key(const Environment& env, const fs::path& base) {
  fs::path where = !env.script_location.empty()     ? env.script_location
                   : !env.version_locations.empty() ? env.version_locations.front()
                                                    : platform::utf8_path(env.name);
  std::string key = where.lexically_normal().lexically_relative(base).generic_string();
  if (key.empty() || key.starts_with("..")) key = where.lexically_normal().generic_string();
  if (key.empty()) key = env.name;
  if (!env.config_section.empty() && env.config_section != "alembic" &&
      env.config_section != "tool.alembic")
    key += " [" + env.config_section + "]";
  return key;
}

std::vector<HeadFile> head_files(const Settings& settings,
                                 const std::vector<HeadFileSubject>& subjects,
                                 const PathNamer& name_path, std::vector<Finding>* problems) {
  std::vector<HeadFile> out;
  if (!settings.file || subjects.empty()) return out;
  const fs::path base = settings.file->parent_path();
  auto make = [&](const std::string& written, uint32_t line) {
    HeadFile file;
    file.path = (base / platform::utf8_path(written)).lexically_normal();
    file.name = name_path(file.path);
    file.settings_name = settings.file_name;
    file.setting_line = line;
    return file;
  };
  if (settings.head_file) {
    HeadFile file = make(*settings.head_file, settings.head_file_line);
    for (const HeadFileSubject& s : subjects) {
      file.subjects.push_back(s);
      file.keys.push_back(head_file_key(*s.environment, base));
    }
    file.keyed_lines = subjects.size() > 1;
    // Key order: a stable file whatever order discovery finds the environments in.
    std::vector<size_t> order(file.subjects.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return file.keys[a] < file.keys[b]; });
    HeadFile sorted = file;
    for (size_t i = 0; i < order.size(); ++i) {
      sorted.subjects[i] = file.subjects[order[i]];
      sorted.keys[i] = file.keys[order[i]];
    }
    out.push_back(std::move(sorted));
  }
  std::vector<const Environment*> envs;
  for (const HeadFileSubject& s : subjects) envs.push_back(s.environment);
  for (const auto& [name, written] : settings.head_file_by_environment) {
    const auto line_it = settings.head_file_lines.find(name);
    const uint32_t line = line_it == settings.head_file_lines.end() ? 0 : line_it->second;
    const std::vector<const Environment*> named = environments_named(envs, name);
    if (named.size() != 1) {
      if (problems) {
        Finding f;
        f.code = std::string(kConfigWarningCode);
        f.severity = Severity::Warning;
        std::string choices;
        for (const Environment* e : (named.empty() ? envs : named))
          choices += (choices.empty() ? "'" : ", '") + e->name + "'";
        set_message(f, "[tool.alembic-lsp] head-file key '" + brief(name) + "' names " +
                           (named.empty() ? "no environment" : "several environments") +
                           "; the choices are " + choices + ".");
        f.location.path = settings.file_name;
        f.location.range.start_line = f.location.range.end_line = line;
        problems->push_back(std::move(f));
      }
      continue;
    }
    HeadFile file = make(written, line);
    for (const HeadFileSubject& s : subjects)
      if (s.environment == named.front()) {
        file.subjects.push_back(s);
        file.keys.push_back(head_file_key(*s.environment, base));
      }
    out.push_back(std::move(file));
  }
  return out;
}

std::vector<HeadFileEntry> parse_head_file(std::string_view text) {
  std::vector<HeadFileEntry> out;
  bool in_conflict = false;
  uint32_t line = 0;
  for (const auto& [start, end] : lines_of(text)) {
    const std::string_view raw = text.substr(start, end - start);
    const std::string_view body = trim(raw);
    const uint32_t this_line = line++;
    if (raw.starts_with("<<<<<<<")) in_conflict = true;
    if (is_marker(trim(raw))) {
      if (raw.starts_with(">>>>>>>")) in_conflict = false;
      continue;
    }
    if (in_conflict || body.empty() || body.front() == '#') continue;
    HeadFileEntry e;
    e.line = this_line;
    e.start = start;
    e.end = end;
    // An id never holds ':' (Alembic refuses it since 1.17.1); a key may (a Windows path).
    const size_t colon = body.rfind(':');
    if (colon != std::string_view::npos) {
      e.key = std::string(trim(body.substr(0, colon)));
      e.ids = split_ids(body.substr(colon + 1));
    } else {
      e.ids = split_ids(body);
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> recorded_heads(const GraphAnalysis& graph) {
  return unique_sorted(graph.heads);
}

std::string render_head_file(const HeadFile& file,
                             const std::vector<std::vector<std::string>>& heads) {
  std::string out(kComment);
  for (size_t k = 0; k < file.subjects.size() && k < heads.size(); ++k) {
    if (file.keyed_lines) out += file.keys[k] + ": ";
    out += joined(unique_sorted(heads[k]), " ") + "\n";
  }
  return out;
}

std::string expected_head_file(const HeadFile& file) {
  std::vector<std::vector<std::string>> heads;
  for (const HeadFileSubject& s : file.subjects) heads.push_back(recorded_heads(*s.graph));
  return render_head_file(file, heads);
}

std::string head_file_text_with(const HeadFile& file, const Environment* environment,
                                const std::vector<std::string>& new_heads) {
  std::vector<std::vector<std::string>> heads;
  for (const HeadFileSubject& s : file.subjects)
    heads.push_back(s.environment == environment ? new_heads : recorded_heads(*s.graph));
  return render_head_file(file, heads);
}

std::vector<std::string> heads_after_new_revision(const GraphAnalysis& graph,
                                                  const std::string& new_id,
                                                  const std::vector<std::string>& parents) {
  std::vector<std::string> out;
  for (const std::string& h : graph.heads)
    if (std::find(parents.begin(), parents.end(), h) == parents.end()) out.push_back(h);
  out.push_back(new_id);
  return unique_sorted(std::move(out));
}

std::optional<std::string> read_head_file(const fs::path& path, std::string* error) {
  if (error) error->clear();
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) return std::nullopt;
  if (fs::is_directory(status)) {
    if (error) *error = path.string() + " is a directory";
    return std::nullopt;
  }
  try {
    return read_file_bytes(path);
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

std::vector<Finding> head_file_findings(const HeadFile& file,
                                        const std::optional<std::string>& text,
                                        const std::string& read_error) {
  std::vector<Finding> out;
  if (!text) {
    SourceRange at;
    at.start_line = at.end_line = file.setting_line;
    Finding f = finding(
        file.settings_name, at,
        read_error.empty() ? "The head file " + brief(file.name, 60) + " does not exist."
                           : "The head file " + brief(file.name, 60) + " cannot be read.",
        (read_error.empty() ? std::string() : read_error + ". ") +
            "[tool.alembic-lsp] head-file asks for it: create it with the head id (the quick "
            "fix writes it), and commit it.");
    out.push_back(std::move(f));
    return out;
  }
  if (text->find("<<<<<<<") != std::string::npos) {
    conflict_findings(file, *text, out);
    if (!out.empty()) return out;
  }
  const std::vector<HeadFileEntry> entries = parse_head_file(*text);
  std::vector<bool> used(entries.size(), false);
  const std::string fix =
      "Rewrite it from the history (the quick fix does), or merge the heads if there are "
      "several; commit it with the migrations.";
  for (size_t k = 0; k < file.subjects.size(); ++k) {
    const GraphAnalysis& graph = *file.subjects[k].graph;
    const std::vector<std::string> heads = recorded_heads(graph);
    const std::string env = file.keyed_lines ? " for " + file.keys[k] : std::string();
    const HeadFileEntry* entry = nullptr;
    for (size_t i = 0; i < entries.size() && !entry; ++i)
      if (!used[i] &&
          (file.keyed_lines ? entries[i].key == file.keys[k]
                            : entries[i].key.empty() || entries[i].key == file.keys[k])) {
        entry = &entries[i];
        used[i] = true;
      }
    if (!entry) {
      if (heads.empty()) continue;
      out.push_back(
          finding(file.name, range_in(*text, 0, 0),
                  "The head file has no line" + env + "; the head is " + listed(heads) + ".", fix));
      out.back().revisions = heads;
      continue;
    }
    const std::vector<std::string> ids = unique_sorted(entry->ids);
    if (ids == heads) continue;
    Finding f = finding(file.name, range_in(*text, entry->start, entry->end),
                        mismatch(graph, ids, heads, env), fix);
    f.revisions = heads;
    out.push_back(std::move(f));
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    if (used[i]) continue;
    const std::string line = std::to_string(entries[i].line + 1);
    const std::string what =
        !file.keyed_lines ? "The head file line " + line + " is extra: it holds one head line."
        : entries[i].key.empty()
            ? "The head file line " + line + " names no environment (write `KEY: ID`)."
            : "The head file names environment '" + brief(entries[i].key) +
                  "', which does not read these settings.";
    std::string keys;
    for (const std::string& key : file.keys) keys += (keys.empty() ? "" : ", ") + key;
    out.push_back(finding(file.name, range_in(*text, entries[i].start, entries[i].end), what,
                          "Its environments are " + keys + ". " + fix));
  }
  return out;
}

}  // namespace alembic
