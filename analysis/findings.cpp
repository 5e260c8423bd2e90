#include "analysis/findings.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace alembic {

namespace {

void add_findings_of(const Script& script, std::vector<Finding>& out);

Finding make_finding(std::string_view code, Severity severity, std::string message,
                     std::string detail, const Script& script, const SourceRange& range) {
  Finding f;
  f.code = std::string(code);
  f.severity = severity;
  f.message = std::move(message);
  f.detail = std::move(detail);
  f.location = Location{script.path, range};
  return f;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// down_revision rendered the way a reader writes it in Python.
std::string python_repr(const AssignedValue& value) {
  if (value.is_none || (value.is_sequence && value.strings.empty())) return "None";
  if (!value.is_sequence && value.strings.size() == 1) return quoted(value.strings[0].text);
  std::string out = "(";
  for (size_t i = 0; i < value.strings.size(); ++i) {
    if (i) out += ", ";
    out += quoted(value.strings[i].text);
  }
  if (value.strings.size() == 1) out += ",";
  return out + ")";
}

// Alembic's words for a revision id with forbidden characters.
std::string invalid_characters_quote(const std::string& chars, const std::string& id) {
  return "Character(s) '" + chars + "' not allowed in revision identifier '" + id + "'";
}

// The message and range of a `revision` assignment Alembic cannot use, or nothing.
void check_revision_value(const Script& script, std::vector<Finding>& out) {
  const AssignedValue& rev = script.parsed.revision;
  const SourceRange& where = rev.value_range;
  auto report = [&](std::string message, std::string detail) {
    out.push_back(make_finding(codes::kInvalidRevisionId, Severity::Error, std::move(message),
                               std::move(detail), script, where));
  };
  if (rev.is_none) {
    report("revision is None, not a revision id.",
           "Alembic needs a string id and fails loading this file; write the id as a string "
           "literal.");
    return;
  }
  if (rev.is_sequence) {
    report("revision is a tuple or list, not a single revision id.",
           "Alembic needs one string id; write the id as one string literal.");
    return;
  }
  if (rev.strings.size() != 1 || !rev.unresolved.empty()) {
    std::string expr = rev.unresolved.empty() ? std::string("this value")
                                              : "`" + brief(rev.unresolved[0].expression) + "`";
    report("revision is " + expr + ", not a string literal.",
           "Its id is only known by running code, which alembic-lsp never does, so references "
           "to it cannot be checked; write the id as a string literal.");
    return;
  }
  const std::string& id = rev.strings[0].text;
  if (id.empty()) {
    report("revision is an empty string.", "Give the migration a real revision id.");
    return;
  }
  bool any = false;
  for (char c : id) any = any || c == '@' || c == '-' || c == '+' || c == ':';
  if (!any) return;  // the common case, checked without building a set
  std::set<char> bad;
  for (char c : id)
    if (kIllegalRevisionChars.find(c) != std::string_view::npos) bad.insert(c);
  std::string chars;
  for (char c : bad) {
    if (!chars.empty()) chars += ", ";
    chars += c;
  }
  // Alembic's own words, which apply_alembic_version rewrites for ':' before 1.17.1.
  std::string detail =
      invalid_characters_quote(chars, id) + "; Alembic refuses to load the history";
  if (bad.size() == 1 && *bad.begin() == ':') detail += " (':' is rejected since Alembic 1.17.1)";
  detail += ". Revision ids may not contain @ - + :.";
  out.push_back(make_finding(codes::kInvalidRevisionId, Severity::Error,
                             fit("Revision id " + quoted(id) + " contains " + quoted(chars) + ".",
                                 "The revision id contains " + quoted(chars) + "."),
                             std::move(detail), script, rev.strings[0].range));
}

void check_unresolved(const Script& script, const AssignedValue& value, std::string_view name,
                      std::string_view consequence, std::vector<Finding>& out) {
  for (const UnresolvedValue& u : value.unresolved) {
    std::string message =
        std::string(name) + " element `" + brief(u.expression) + "` is not a string literal.";
    out.push_back(make_finding(
        codes::kUnresolvedValue, Severity::Warning, std::move(message),
        "alembic-lsp cannot read it without running code: " + std::string(consequence) + ".",
        script, u.range));
  }
}

void check_header(const Script& script, std::vector<Finding>& out) {
  const ParsedMigration& p = script.parsed;
  const DocstringHeader& doc = p.docstring;
  if (!doc.present) return;
  std::string id = revision_id_of(script);
  if (doc.revision_id && !id.empty() && trim(doc.revision_id->text) != id) {
    Finding f = make_finding(
        codes::kHeaderMismatch, Severity::Warning,
        fit("Docstring says 'Revision ID: " + doc.revision_id->text + "' but revision is " +
                quoted(id) + ".",
            "The docstring's Revision ID differs from revision " + quoted(brief(id)) + "."),
        "Alembic only reads the `revision` variable, so the header misleads readers; update it.",
        script, doc.revision_id->range);
    f.revisions = {id};
    f.suggestion = id;
    out.push_back(std::move(f));
  }
  const AssignedValue& down = p.down_revision;
  if (!doc.has_revises || !down.present || !down.unresolved.empty()) return;
  std::set<std::string_view> said;
  for (const StringValue& s : doc.revises) {
    std::string_view t = trim(s.text);
    if (!t.empty() && t != "None") said.insert(t);
  }
  std::set<std::string_view> real;
  for (const StringValue& s : down.strings)
    if (!s.text.empty()) real.insert(s.text);
  if (said == real) return;
  std::string written;
  for (size_t i = 0; i < doc.revises.size(); ++i) {
    if (i) written += ", ";
    written += doc.revises[i].text;
  }
  std::string actual;
  for (std::string_view s : real) {
    if (!actual.empty()) actual += ", ";
    actual += s;
  }
  SourceRange range = doc.range;
  std::optional<std::string> suggestion;
  if (!doc.revises.empty()) {
    range = doc.revises.front().range;
    range.end_byte = doc.revises.back().range.end_byte;
    range.end_line = doc.revises.back().range.end_line;
    range.end_column = doc.revises.back().range.end_column;
    // An empty replacement would leave "Revises:" dangling oddly; only offer real text.
    if (!down.strings.empty()) {
      std::string replacement;
      for (size_t i = 0; i < down.strings.size(); ++i) {
        if (i) replacement += ", ";
        replacement += down.strings[i].text;
      }
      suggestion = replacement;
    }
  }
  const std::string said_text = "Docstring says 'Revises: " + written + "'";
  const std::string real_text = "down_revision is " + python_repr(down);
  std::string first = said_text + " but " + real_text + ".";
  std::string detail =
      "Alembic only reads down_revision, so the header misleads readers; "
      "update it.";
  if (first.size() >= kMaxFirstSentence) {
    first = "The docstring's Revises: line differs from down_revision.";
    detail = "It says 'Revises: " + written + "' but " + real_text + ". " + detail;
  }
  Finding f = make_finding(codes::kHeaderMismatch, Severity::Warning, std::move(first),
                           std::move(detail), script, range);
  for (std::string_view s : said) f.revisions.emplace_back(s);
  for (std::string_view s : real)
    if (!said.count(s)) f.revisions.emplace_back(s);
  std::sort(f.revisions.begin(), f.revisions.end());
  f.suggestion = std::move(suggestion);
  out.push_back(std::move(f));
}

}  // namespace

bool finding_less(const Finding& a, const Finding& b) {
  return std::tie(a.location.path, a.location.range.start_byte, a.location.range.end_byte, a.code,
                  a.message) < std::tie(b.location.path, b.location.range.start_byte,
                                        b.location.range.end_byte, b.code, b.message);
}

void sort_findings(std::vector<Finding>& findings) {
  // Sort positions, then move each finding once: findings are heavy to swap around.
  std::vector<uint32_t> order(findings.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t x, uint32_t y) { return finding_less(findings[x], findings[y]); });
  std::vector<Finding> sorted;
  sorted.reserve(findings.size());
  for (uint32_t i : order) sorted.push_back(std::move(findings[i]));
  findings = std::move(sorted);
}

std::string join_ids(const std::vector<std::string>& ids, size_t limit) {
  std::string out;
  size_t shown = std::min(ids.size(), limit);
  for (size_t i = 0; i < shown; ++i) {
    if (i) out += ", ";
    out += ids[i];
  }
  if (ids.size() > shown) out += ", ... (" + std::to_string(ids.size() - shown) + " more)";
  return out;
}

std::string full_message(const Finding& finding, std::string_view separator) {
  if (finding.detail.empty()) return finding.message;
  return finding.message + std::string(separator) + finding.detail;
}

namespace {

std::string as_sentence(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
  std::string out(text);
  // "cannot read" becomes "Cannot read"; a file or key name ("pyproject.toml has") stays.
  const size_t word = out.find(' ');
  const std::string_view first_word = std::string_view(out).substr(0, word);
  if (!first_word.empty() && std::all_of(first_word.begin(), first_word.end(),
                                         [](char c) { return c >= 'a' && c <= 'z'; }))
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  if (!out.empty() && out.back() != '.' && out.back() != '?' && out.back() != '!') out += '.';
  return out;
}

}  // namespace

void set_message(Finding& finding, std::string_view text) {
  const size_t split = text.find("; ");
  if (split != std::string_view::npos && split + 1 < kMaxFirstSentence) {
    finding.message = as_sentence(text.substr(0, split));
    finding.detail = as_sentence(text.substr(split + 2));
  } else {
    finding.message = as_sentence(text);
    finding.detail.clear();
  }
}

void add_detail(Finding& finding, std::string_view sentence) {
  if (sentence.empty()) return;
  if (!finding.detail.empty()) finding.detail += ' ';
  finding.detail += sentence;
}

std::string brief(std::string_view name, size_t max) {
  // One line whatever the source: a run of whitespace (an expression over several lines)
  // shows as one space, so a message stays one line in the CLI, CI annotations and editors.
  std::string flat;
  flat.reserve(name.size());
  for (char c : name) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v';
    if (!space) {
      flat += c;
    } else if (flat.empty() || flat.back() != ' ') {
      flat += ' ';
    }
  }
  if (flat.size() <= max || max < 8) return flat;
  size_t head = (max - 3) / 2 + (max - 3) % 2;
  size_t tail_start = flat.size() - (max - 3 - head);
  // Never cut a UTF-8 sequence: the cut moves to the start of the character it falls in.
  auto continuation = [&flat](size_t i) {
    return (static_cast<unsigned char>(flat[i]) & 0xC0) == 0x80;
  };
  while (head > 0 && continuation(head)) --head;
  while (tail_start < flat.size() && continuation(tail_start)) ++tail_start;
  return flat.substr(0, head) + "..." + flat.substr(tail_start);
}

std::string fit(std::string preferred, std::string fallback) {
  return preferred.size() < kMaxFirstSentence ? std::move(preferred) : std::move(fallback);
}

void add_related_capped(Finding& finding, std::vector<RelatedLocation> others,
                        std::string_view noun) {
  const size_t shown = std::min(others.size(), kMaxRelatedListed);
  for (size_t k = 0; k < shown; ++k) finding.related.push_back(std::move(others[k]));
  if (others.size() > shown)
    finding.related.push_back(
        {std::move(others[shown].location),
         "and " + std::to_string(others.size() - shown) + " more " + std::string(noun)});
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::string_view file_name_of(std::string_view path, bool windows_separators) {
  const size_t slash = windows_separators ? path.find_last_of("/\\") : path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

void add_script_findings(const Script& script, std::vector<Finding>& out) {
  const size_t first = out.size();
  add_findings_of(script, out);
  if (out.size() == first) return;  // the common case: nothing to label
  // Name the revision each finding concerns, when the file has a readable id.
  std::string id = revision_id_of(script);
  if (id.empty()) return;
  for (size_t k = first; k < out.size(); ++k)
    if (out[k].revisions.empty()) out[k].revisions = {id};
}

namespace {

void add_findings_of(const Script& script, std::vector<Finding>& out) {
  const ParsedMigration& p = script.parsed;
  for (const SyntaxProblem& problem : p.syntax_errors) {
    out.push_back(
        make_finding(codes::kSyntaxError, Severity::Warning,
                     fit("Syntax error: " + problem.message + ".", "Syntax error."),
                     (("Syntax error: " + problem.message + ".").size() < kMaxFirstSentence
                          ? std::string()
                          : "Python says: " + problem.message + ". ") +
                         "Python cannot import this file, so every Alembic command "
                         "fails on it.",
                     script, problem.range));
  }
  const std::string_view name_view = file_name_of(script.path);
  if (!p.revision.present) {
    const std::string name(name_view);
    if (revision_id_of(script).empty()) {
      out.push_back(make_finding(
          codes::kNotAMigration, Severity::Error,
          "No `revision` here, and the file name is not a hex revision id.",
          "Alembic stops every command with \"Could not determine revision id from filename " +
              name + "\"; move this file out of the versions directory or declare `revision`.",
          script, SourceRange{}));
      return;
    }
    if (!p.down_revision.present) {
      out.push_back(make_finding(
          codes::kNotAMigration, Severity::Error,
          "This file has neither `revision` nor `down_revision`.",
          "Alembic takes its id from the file name " + name +
              ", then fails with AttributeError: module has no attribute 'down_revision'; move "
              "this file out of the versions directory.",
          script, SourceRange{}));
      return;
    }
  } else {
    check_revision_value(script, out);
    if (!p.down_revision.present) {
      out.push_back(make_finding(
          codes::kMissingDownRevision, Severity::Error,
          "`revision` is assigned but `down_revision` is not.",
          "Alembic fails loading this file with AttributeError: module has no attribute "
          "'down_revision'; write `down_revision = None` for a base, or the parent's id.",
          script, p.revision.name_range));
    }
  }
  const AssignedValue& down = p.down_revision;
  if (down.present && !down.is_sequence && down.unresolved.empty() && down.strings.size() == 1 &&
      down.strings[0].text.empty()) {
    out.push_back(make_finding(
        codes::kEmptyDownRevision, Severity::Warning, "down_revision is an empty string.",
        "Alembic before 1.12.1 reads it as a base, later versions fail with KeyError: ''; "
        "write `down_revision = None`.",
        script, down.strings[0].range));
  }
  // Checked inline first: this runs for every file of every environment.
  if (!down.unresolved.empty())
    check_unresolved(script, down, "down_revision",
                     "this revision's parents are unknown, so heads and bases around it may be "
                     "wrong",
                     out);
  if (!p.branch_labels.unresolved.empty())
    check_unresolved(script, p.branch_labels, "branch_labels",
                     "the label is unknown, so references to it cannot be checked", out);
  if (!p.depends_on.unresolved.empty())
    check_unresolved(script, p.depends_on, "depends_on",
                     "this dependency is unknown, so the heads around it may be wrong", out);
  if (p.docstring.present) check_header(script, out);
}

}  // namespace

}  // namespace alembic
