// Findings about the history as a whole: multiple-heads, missing-revision,
// duplicate-revision, unexpected-base and branch-label-conflict.
#include <algorithm>
#include <unordered_map>

#include "analysis/findings.h"
#include "analysis/graph_internal.h"

namespace alembic::detail {

namespace {

const std::string& id_of(const Build& b, uint32_t node) {
  return b.out.revisions[node].id;
}

std::string_view file_of(const Build& b, uint32_t node) {
  return file_name_of(b.nodes[node].script->path);
}

Location location_of(const Build& b, uint32_t node) {
  const Script& s = *b.nodes[node].script;
  return Location{s.path, revision_range(s)};
}

Finding make(std::string_view code, Severity severity, std::string message, Location where) {
  Finding f;
  f.code = std::string(code);
  f.severity = severity;
  f.message = std::move(message);
  f.location = std::move(where);
  return f;
}

std::vector<std::string> sorted_unique(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// A label key as a reader writes it: 'name', or `expression` for a non-literal label.
std::string show_label(const std::string& key) {
  if (!key.empty() && key[0] == '\x01') return "`" + key.substr(1) + "`";
  return quoted(key);
}

bool heads_allowed(const Build& b, size_t head_count) {
  const AnalysisOptions& o = b.options;
  return o.allow_multiple_heads ||
         (o.expected_heads >= 0 && static_cast<size_t>(o.expected_heads) == head_count);
}

// For each head, a label key no other head carries ("" when it has none): heads that
// all have one are intended independent branches (expand/contract, several bases).
std::vector<std::string> distinguishing_labels(const Build& b, const std::vector<uint32_t>& heads) {
  std::vector<std::vector<std::string>> keys;
  keys.reserve(heads.size());
  std::unordered_map<std::string_view, size_t> count;
  for (uint32_t h : heads) {
    keys.push_back(b.keys_of(h));
    for (const std::string& k : keys.back()) ++count[k];
  }
  std::vector<std::string> result;
  for (size_t i = 0; i < heads.size(); ++i) {
    std::string own;
    for (const std::string& k : keys[i])
      if (count[k] == 1) {
        own = k;
        break;
      }
    result.push_back(own);
  }
  return result;
}

void report_multiple_heads(Build& b) {
  const std::vector<uint32_t>& heads = b.head_nodes;  // collect_graph_facts
  const size_t count = heads.size();
  const int expected = b.options.expected_heads;
  if (count == 0) return;
  if (expected < 0 && count == 1) return;
  if (expected >= 0 && count == static_cast<size_t>(expected) && count == 1) return;

  std::vector<std::string> in_order;
  for (uint32_t h : heads) in_order.push_back(id_of(b, h));
  const std::vector<std::string> ids = sorted_unique(in_order);
  const std::string n = std::to_string(count);
  const std::string merge_hint =
      "Merge them with `alembic merge heads` or the 'Merge heads' code action.";
  std::vector<std::string> labels = distinguishing_labels(b, heads);
  const bool intended =
      std::all_of(labels.begin(), labels.end(), [](const std::string& l) { return !l.empty(); });

  // The first sentence names the head it sits on: `%s` stands for its id.
  Severity severity = Severity::Error;
  std::string first, detail;
  if (expected >= 0 && count != static_cast<size_t>(expected)) {
    first = (count == 1 ? std::string("Head %s is the only head")
                        : "Head %s is one of " + n + " heads") +
            "; expected-heads is " + std::to_string(expected) + ".";
    detail = count > static_cast<size_t>(expected)
                 ? "`alembic upgrade head` fails with \"Multiple head revisions are present\". " +
                       merge_hint
                 : "Update expected-heads in [tool.alembic-lsp] if " + n +
                       (count == 1 ? " head is" : " heads are") + " intended.";
  } else if (expected >= 0) {
    severity = Severity::Information;
    first = "Head %s is one of " + n + " heads, as expected-heads says.";
    detail = "Upgrade them all with `alembic upgrade heads`.";
  } else if (b.options.allow_multiple_heads) {
    severity = Severity::Information;
    first = "Head %s is one of " + n + " heads, which this project allows.";
    detail = "Upgrade them all with `alembic upgrade heads`.";
  } else if (!intended) {
    first = "Head %s is one of " + n + " heads.";
    detail =
        "`alembic upgrade head` fails with \"Multiple head revisions are present\". " + merge_hint;
    if (ids.size() < in_order.size())
      detail += " A head listed twice has a duplicated id (see duplicate-revision).";
    if (count <= 1 + static_cast<size_t>(b.unknown_links)) {
      // Each unknown down_revision link may hide one parent that now looks like a head:
      // only an error when more than one head remains certain.
      severity = Severity::Warning;
      detail += " " + std::to_string(b.unknown_links) + " down_revision link" +
                (b.unknown_links == 1 ? " is" : "s are") +
                " unknown (not a literal, absent, or naming no revision); fixing " +
                (b.unknown_links == 1 ? "it" : "them") + " may join these heads.";
    }
  }

  // Past kMaxListedRevisions heads, listing every other head on every head would be
  // quadratic; related information lists a few of them in any case.
  std::vector<RelatedLocation> all_heads;
  if (heads.size() <= kMaxListedRevisions)
    for (uint32_t h : heads) all_heads.push_back({location_of(b, h), "other head " + id_of(b, h)});
  for (size_t k = 0; k < heads.size(); ++k) {
    const uint32_t h = heads[k];
    const std::string& id = id_of(b, h);
    std::string text, more = detail;
    if (first.empty()) {  // intended independent branches: say which branch this is
      severity = Severity::Information;
      const std::string label = show_label(labels[k]);
      // An unreadable label cannot be quoted: say where its value comes from.
      std::string at_head = labels[k][0] == '\x01' ? "its label (the value of `" +
                                                         labels[k].substr(1) + "`) and '@head'"
                                                   : "'" + labels[k] + "@head'";
      text = fit("Head " + id + " ends branch " + label + ", one of " + n + " labelled branches.",
                 "Head " + brief(id) + " ends one of " + n + " labelled branches.");
      more =
          "Several labelled branches are intended; upgrade them all with `alembic upgrade "
          "heads`, or this one with " +
          at_head + ".";
    } else {
      const size_t at = first.find("%s");
      text = fit(first.substr(0, at) + id + first.substr(at + 2),
                 first.substr(0, at) + brief(id) + first.substr(at + 2));
    }
    Finding f = make(codes::kMultipleHeads, severity, std::move(text), location_of(b, h));
    f.detail = std::move(more);
    if (ids.size() <= kMaxListedRevisions) {
      f.revisions = ids;
    } else {
      f.revisions = {id};
    }
    std::vector<RelatedLocation> others;
    for (size_t j = 0; j < all_heads.size(); ++j)
      if (j != k) others.push_back(all_heads[j]);
    add_related_capped(f, std::move(others), "heads");
    if (heads.size() > kMaxListedRevisions) {  // still point at a few, built here only
      for (size_t j = 0; j < heads.size() && f.related.size() < kMaxRelatedListed; ++j)
        if (j != k)
          f.related.push_back({location_of(b, heads[j]), "other head " + id_of(b, heads[j])});
      const uint32_t next =
          heads[k <= kMaxRelatedListed ? kMaxRelatedListed + 1 : kMaxRelatedListed];
      f.related.push_back({location_of(b, next),
                           "and " + std::to_string(count - 1 - kMaxRelatedListed) + " more heads"});
    }
    b.out.findings.push_back(std::move(f));
  }
}

/// Lookups that only matter when something is missing, built on first use.
struct Suggester {
  explicit Suggester(const Build& build) : b(build) {}
  const Build& b;
  bool ready = false;
  std::vector<std::pair<std::string_view, uint32_t>> sorted_ids;
  std::unordered_map<std::string_view, uint32_t> by_file;  // file name and stem

  void prepare() {
    if (ready) return;
    ready = true;
    b.canonical.for_each(
        [&](std::string_view id, uint32_t node) { sorted_ids.emplace_back(id, node); });
    std::sort(sorted_ids.begin(), sorted_ids.end());
    for (uint32_t i = 0; i < b.nodes.size(); ++i) {
      std::string_view name = file_name_of(b.nodes[i].script->path);
      by_file[name] = i;
      if (name.size() > 3 && name.substr(name.size() - 3) == ".py")
        by_file[name.substr(0, name.size() - 3)] = i;
    }
  }

  /// Appends the explanation to `message` (the finding's detail); returns the suggested
  /// revision, or kNoNode.
  uint32_t suggest(const MissingReference& m, std::string& message) {
    prepare();
    const std::string& text = m.text->text;
    const char* field = m.in_down_revision ? "down_revision" : "depends_on";
    if (m.in_down_revision) {
      if (uint32_t owner = b.labels.get(text); owner != kNoNode) {
        uint32_t head = kNoNode;
        int heads_with_label = 0;
        for (uint32_t i = 0; i < b.nodes.size(); ++i)
          if (b.is_head(i) && b.nodes[i].canonical == i && b.has_keys(i)) {
            std::vector<std::string> keys = b.keys_of(i);
            if (std::binary_search(keys.begin(), keys.end(), text)) ++heads_with_label, head = i;
          }
        bool use_head = heads_with_label == 1 && head != m.node;
        uint32_t target = use_head ? head : owner;
        message += " " + quoted(text) + " is a branch label (declared by revision " +
                   id_of(b, owner) + "), and down_revision needs a revision id: did you mean " +
                   quoted(id_of(b, target)) +
                   (use_head ? ", the current head of that branch?"
                             : ", the revision that "
                               "declares it?");
        return target;
      }
    }
    size_t first = text.find_first_not_of(" \t");
    size_t last = text.find_last_not_of(" \t");
    if (first != std::string::npos && (first > 0 || last + 1 < text.size())) {
      uint32_t trimmed = b.lookup(std::string_view(text).substr(first, last - first + 1));
      if (trimmed != kNoNode) {
        message += " It has stray spaces: did you mean " + quoted(id_of(b, trimmed)) + "?";
        return trimmed;
      }
    }
    if (auto file = by_file.find(text); file != by_file.end() && file->second != m.node) {
      uint32_t target = file->second;  // that very file, even when its id is duplicated
      message += " " + quoted(text) + " is the file name of " + std::string(file_of(b, target)) +
                 ", whose revision id is " + quoted(id_of(b, target)) + ": did you mean " +
                 quoted(id_of(b, target)) + "?";
      return target;
    }
    if (text.size() < 4) return kNoNode;
    auto it = std::lower_bound(sorted_ids.begin(), sorted_ids.end(),
                               std::pair<std::string_view, uint32_t>(text, 0));
    std::vector<uint32_t> matches;
    for (; it != sorted_ids.end() && it->first.substr(0, text.size()) == text; ++it) {
      if (it->second != m.node) matches.push_back(it->second);
      if (matches.size() > 3) break;
    }
    if (matches.size() == 1) {
      message += " " + quoted(text) + " is the start of revision id " +
                 quoted(id_of(b, matches[0])) + " (" + std::string(file_of(b, matches[0])) +
                 ") and " + field + " needs the full id: did you mean " +
                 quoted(id_of(b, matches[0])) + "?";
      return matches[0];
    }
    if (matches.size() > 1) {
      std::vector<std::string> ids;
      for (uint32_t n : matches) ids.push_back(id_of(b, n));
      message += " " + quoted(text) + " is the start of several revision ids (" + join_ids(ids, 3) +
                 (matches.size() > 3 ? ", ..." : "") + "): write the full id.";
    }
    return kNoNode;
  }
};

void report_missing(Build& b) {
  if (b.missing.empty()) return;
  Suggester suggester(b);
  std::string unknown;
  for (size_t k = 0; k < b.unknown_id_scripts.size() && k < 3; ++k)
    unknown += (k ? ", " : "") + std::string(file_name_of(b.scripts[b.unknown_id_scripts[k]].path));
  for (const MissingReference& m : b.missing) {
    const std::string& child = id_of(b, m.node);
    const std::string& text = m.text->text;
    const char* field = m.in_down_revision ? "down_revision" : "depends_on";
    const char* what = m.in_down_revision ? ", which no migration defines."
                                          : ", which is no revision id or branch label.";
    std::string message = fit(std::string(field) + " names " + quoted(text) + what,
                              std::string(field) + " names " + quoted(brief(text)) + what);
    std::string detail = "Alembic fails every command with KeyError: " + quoted(text) + ".";
    uint32_t target = suggester.suggest(m, detail);
    Severity severity = Severity::Error;
    if (!unknown.empty()) {
      // It may be the id of a file whose `revision` we could not read.
      severity = Severity::Warning;
      detail += " It may be the id of " + unknown + ", whose revision is not a string literal.";
    }
    Finding f = make(codes::kMissingRevision, severity, std::move(message),
                     Location{b.nodes[m.node].script->path, m.text->range});
    f.detail = std::move(detail);
    f.revisions = {child, text};  // documented order: the referrer, then the missing id
    if (target != kNoNode) {
      f.suggestion = id_of(b, target);
      f.related.push_back({location_of(b, target), "did you mean revision " + id_of(b, target)});
    }
    b.out.findings.push_back(std::move(f));
  }
}

void report_duplicates(Build& b) {
  for (uint32_t canonical : b.duplicated) {
    const std::string& id = id_of(b, canonical);
    const std::vector<size_t>& copies = b.out.by_id.at(id);
    std::string files;
    for (size_t k = 0; k < copies.size(); ++k) {
      files += k == 0 ? "" : (k + 1 == copies.size() ? " and " : ", ");
      files += file_of(b, static_cast<uint32_t>(copies[k]));
    }
    const std::string detail =
        "Revision " + id + " is present more than once (in " + files +
        "): Alembic keeps only the "
        "last one it loads (" +
        std::string(file_of(b, static_cast<uint32_t>(copies.back()))) +
        ") in its revision map, yet lists every copy in `alembic heads`. Give each migration its "
        "own revision id.";
    for (size_t copy : copies) {
      std::string message;
      if (copies.size() == 2) {
        const uint32_t other = static_cast<uint32_t>(copies[copies[0] == copy ? 1 : 0]);
        message =
            fit("Revision " + id + " is also defined in " + std::string(file_of(b, other)) + ".",
                "Revision " + brief(id) + " is also defined in " + brief(file_of(b, other)) + ".");
      } else {
        message =
            "Revision " + brief(id) + " is defined in " + std::to_string(copies.size()) + " files.";
      }
      Finding f = make(codes::kDuplicateRevision, Severity::Error, std::move(message),
                       location_of(b, static_cast<uint32_t>(copy)));
      f.detail = detail;
      f.revisions = {id};
      std::vector<RelatedLocation> others;
      for (size_t other : copies)
        if (other != copy)
          others.push_back(
              {location_of(b, static_cast<uint32_t>(other)), "another definition of " + id});
      add_related_capped(f, std::move(others), "definitions");
      b.out.findings.push_back(std::move(f));
    }
  }
}

Location down_revision_location(const Build& b, uint32_t node) {
  const Script& s = *b.nodes[node].script;
  const AssignedValue& down = s.parsed.down_revision;
  return Location{s.path, down.present ? down.value_range : revision_range(s)};
}

std::string python_tuple(const std::vector<std::string>& ids) {
  if (ids.size() == 1) return quoted(ids[0]);
  std::string out = "(";
  for (size_t k = 0; k < ids.size(); ++k) out += (k ? ", " : "") + quoted(ids[k]);
  return out + ")";
}

// A base with no branch label of its own, next to another base: either a merge whose
// parents went into depends_on, or a revision whose down_revision was lost. Both leave
// an extra head, which makes `alembic upgrade head` fail: an error unless the project
// says several heads are expected.
void report_unexpected_bases(Build& b) {
  std::vector<uint32_t> bases, candidates;
  for (uint32_t i : b.base_nodes) {  // collect_graph_facts
    if (b.nodes[i].canonical != i) continue;
    bases.push_back(i);
    if (!b.has_keys(i)) candidates.push_back(i);
  }
  if (bases.size() < 2 || candidates.empty()) return;
  find_components(b);  // only here: most histories have one base, or labelled ones
  std::vector<uint32_t> component_size(b.nodes.size(), 0), component_bases(b.nodes.size(), 0);
  for (const Node& node : b.nodes) ++component_size[node.component];
  for (uint32_t i : bases) ++component_bases[b.nodes[i].component];
  // Several version locations, each with its own base, are a deliberate layout.
  auto directory = [&](uint32_t i) {
    std::string_view path = b.nodes[i].script->path;
    return path.substr(
        0, path.size() - file_name_of(path).size());  // also after a backslash on Windows
  };
  uint32_t primary = kNoNode;
  for (uint32_t c : candidates)
    if (b.nodes[c].is_real_base &&
        (primary == kNoNode ||
         component_size[b.nodes[c].component] > component_size[b.nodes[primary].component]))
      primary = c;
  const size_t head_count = b.head_nodes.size();
  const Severity severity = heads_allowed(b, head_count) ? Severity::Warning : Severity::Error;

  // A few heads per history, gathered once (bases can number in the thousands).
  std::vector<std::vector<std::string>> heads_by_component(b.nodes.size());
  for (uint32_t i = 0; i < b.nodes.size(); ++i)
    if (b.is_head(i) && heads_by_component[b.nodes[i].component].size() < 4)
      heads_by_component[b.nodes[i].component].push_back(id_of(b, i));

  for (uint32_t c : candidates) {
    const Node& node = b.nodes[c];
    const std::string& id = id_of(b, c);
    // A later merge joins this history with another base's: Alembic sees one history.
    if (component_bases[node.component] > 1) continue;
    if (primary != kNoNode && directory(c) != directory(primary)) continue;
    if (!node.is_real_base) {
      std::vector<std::string> deps, head_deps;
      Finding f = make(codes::kUnexpectedBase, severity, "", down_revision_location(b, c));
      for (const Ref& d : b.deps_of(c)) {
        deps.push_back(id_of(b, d.node));
        if (b.is_head(d.node)) head_deps.push_back(id_of(b, d.node));
        f.related.push_back({location_of(b, d.node), "depends on " + id_of(b, d.node)});
      }
      if (!deps.empty() && head_deps.size() == deps.size()) {
        f.message = fit("Revision " + id + " has no down_revision; its parents are in depends_on.",
                        "This revision has no down_revision; its parents are in depends_on.");
        f.detail = "It looks like a merge of " + join_ids(deps) + ", but Alembic still counts " +
                   join_ids(deps) + " and " + id +
                   " as separate heads; write `down_revision = " + python_tuple(deps) + "`.";
        f.suggestion = python_tuple(deps);
      } else {
        f.message = fit("Revision " + id + " has no down_revision but depends on other revisions.",
                        "This revision has no down_revision but depends on other revisions.");
        f.detail = "It depends on " +
                   (deps.empty() ? std::string("revisions that do not exist") : join_ids(deps)) +
                   ". If it continues their history, name its parent in down_revision; if it "
                   "starts an independent branch, give it a branch label.";
      }
      deps.push_back(id);
      f.revisions = sorted_unique(std::move(deps));
      b.out.findings.push_back(std::move(f));
      continue;
    }
    if (primary == kNoNode || node.component == b.nodes[primary].component) continue;
    const std::vector<std::string>& own_heads = heads_by_component[node.component];
    Finding f =
        make(codes::kUnexpectedBase, severity,
             fit("Revision " + id + " starts a second history: no down_revision, no branch label.",
                 "This revision starts a second history: no down_revision, no branch label."),
             down_revision_location(b, c));
    f.detail = "The main history starts at " + id_of(b, primary) + " (" +
               std::string(file_of(b, primary)) + "); this one" +
               (own_heads.empty()
                    ? std::string()
                    : " ends in head " +
                          join_ids({own_heads.begin(),
                                    own_heads.begin() + std::min<size_t>(own_heads.size(), 3)}) +
                          (own_heads.size() > 3 ? ", ..." : "") + ", and it") +
               " adds a head, so `alembic upgrade head` sees several heads. Set its down_revision "
               "to its parent's id, or give it a branch label if it is an independent branch.";
    f.revisions = sorted_unique({id, id_of(b, primary)});
    f.related.push_back({location_of(b, primary), "the main history starts here"});
    b.out.findings.push_back(std::move(f));
  }
}

void report_label_conflicts(Build& b) {
  for (const LabelConflict& c : b.label_conflicts) {
    const std::string& name = c.label->text;
    // Alembic's words in the detail.
    std::string alembic_says = "Branch name " + quoted(name) + " in revision " + id_of(b, c.node) +
                               " already used by revision " + id_of(b, c.other);
    std::string message =
        c.other_is_id ? fit("Branch label " + quoted(name) + " is also a revision id.",
                            "Branch label " + quoted(brief(name)) + " is also a revision id.")
                      : fit("Branch label " + quoted(name) + " is already used by revision " +
                                id_of(b, c.other) + ".",
                            "Branch label " + quoted(brief(name)) +
                                " is already used by revision " + brief(id_of(b, c.other)) + ".");
    Location other = location_of(b, c.other);
    if (!c.other_is_id) {
      for (const StringValue& s : b.nodes[c.other].script->parsed.branch_labels.strings)
        if (s.text == name) {
          other.range = s.range;
          break;
        }
    }
    Finding f = make(codes::kBranchLabelConflict, Severity::Error, std::move(message),
                     Location{b.nodes[c.node].script->path, c.label->range});
    f.detail =
        "Alembic refuses to load the history (\"" + alembic_says + "\"); rename one of the labels.";
    f.revisions = sorted_unique({id_of(b, c.node), id_of(b, c.other)});
    f.related.push_back({other, "already used here"});
    b.out.findings.push_back(std::move(f));
  }
}

}  // namespace

void add_graph_findings(Build& b) {
  report_multiple_heads(b);
  report_missing(b);
  report_duplicates(b);
  report_unexpected_bases(b);
  report_label_conflicts(b);
}

}  // namespace alembic::detail
