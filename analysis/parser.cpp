// parse_migration (cold path: scan, then tree-sitter on the selected lines only) and
// MigrationDocument (full incremental tree). Both read values with extract::Extractor.
#include "analysis/parser.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "analysis/conflict_markers.h"
#include "analysis/parse_extract.h"
#include "analysis/parse_fast.h"
#include "analysis/python_scan.h"
#include "analysis/ts_python.h"

namespace alembic {

namespace {

constexpr size_t kMaxSource = std::numeric_limits<uint32_t>::max() - 1;

// kMaxFullTree (ts_python.h): larger documents are read in selected lines.
using ts::kMaxFullTree;

ParsedMigration too_large() {
  ParsedMigration p;
  p.syntax_errors.push_back({SourceRange{}, "file too large to read (4 GiB or more)"});
  return p;
}

// The ranges tree-sitter reads for one selected line: the whole line, or the line
// without its annotation.
void add_ranges(const scan::Statement& s, std::vector<TSRange>& out) {
  auto range = [](uint32_t sb, uint32_t sl, uint32_t sc, uint32_t eb, uint32_t el, uint32_t ec) {
    TSRange r;
    r.start_byte = sb;
    r.end_byte = eb;
    r.start_point = {sl, sc};
    r.end_point = {el, ec};
    return r;
  };
  if (s.too_deep) {
    // Only up to the bracket too many: tree-sitter recovers from 200 unclosed ones
    // cheaply, and the assignment reads as present but unreadable.
    if (s.gap_start_byte < s.gap_end_byte && s.deep_byte >= s.gap_end_byte) {
      out.push_back(range(s.start_byte, s.start_line, s.start_column, s.gap_start_byte,
                          s.gap_start_line, s.gap_start_column));
      out.push_back(range(s.gap_end_byte, s.gap_end_line, s.gap_end_column, s.deep_byte,
                          s.deep_line, s.deep_column));
    } else {
      out.push_back(range(s.start_byte, s.start_line, s.start_column, s.deep_byte, s.deep_line,
                          s.deep_column));
    }
    return;
  }
  if (s.gap_start_byte < s.gap_end_byte) {
    out.push_back(range(s.start_byte, s.start_line, s.start_column, s.gap_start_byte,
                        s.gap_start_line, s.gap_start_column));
    out.push_back(range(s.gap_end_byte, s.gap_end_line, s.gap_end_column, s.end_byte, s.end_line,
                        s.end_column));
  } else {
    out.push_back(
        range(s.start_byte, s.start_line, s.start_column, s.end_byte, s.end_line, s.end_column));
  }
}

// `length` bytes from `byte`, which is at (line, column).
SourceRange on_one_line(uint32_t byte, uint32_t line, uint32_t column, uint32_t length) {
  SourceRange r;
  r.start_byte = byte;
  r.end_byte = byte + length;
  r.start_line = r.end_line = line;
  r.start_column = column;
  r.end_column = column + length;
  return r;
}

// Adds the tokenizer error the scan found outside what was read (an unclosed bracket or
// string in upgrade(), say), unless a syntax problem is known already: Python reports
// one error per file, and one in a selected line or a conflict marker explains the file.
void add_token_error(const scan::ModuleScan& scan, ParsedMigration& parsed) {
  if (!scan.token_error || !parsed.syntax_errors.empty()) return;
  const scan::TokenError& e = *scan.token_error;
  parsed.syntax_errors.push_back({on_one_line(e.byte, e.line, e.column, e.length), e.message});
}

// Hands statements to the extractor in source order, applying first the scanner's
// rebindings that come before each one.
class Feeder {
 public:
  Feeder(extract::Extractor& ex, const std::vector<scan::Rebinding>& rebindings)
      : ex_(ex), rebindings_(rebindings) {}

  void feed(TSNode n) {
    rebind_before(ts_node_start_byte(n));
    ex_.statement(n);
  }
  void finish() { rebind_before(std::numeric_limits<uint32_t>::max()); }

 private:
  void rebind_before(uint32_t byte) {
    while (next_ < rebindings_.size() && rebindings_[next_].byte < byte)
      ex_.rebind(rebindings_[next_++].name);
  }

  extract::Extractor& ex_;
  const std::vector<scan::Rebinding>& rebindings_;
  size_t next_ = 0;
};

// The statements of `root` that lie in the scanner's selected lines, in order.
// Fails when tree-sitter's statements do not line up with Python's logical lines:
// tree-sitter-python is more lenient than Python (it reads `x.\nrevision = 1` as one
// statement, and `    x = 1` after a simple statement as module level, without an
// error), and then the tree cannot be trusted to say what Python would bind.
bool aligned_statements(TSNode root, const std::vector<scan::Statement>& lines,
                        std::vector<TSNode>& out) {
  if (ts_node_symbol(root) == static_cast<TSSymbol>(-1)) return false;
  size_t j = 0;
  bool started = false;  // lines[j] has a statement at its first byte
  bool ok = true;
  ts::for_each_named_child(root, [&](TSNode c) {
    const uint32_t cs = ts_node_start_byte(c), ce = ts_node_end_byte(c);
    while (j < lines.size() && lines[j].end_byte <= cs) {
      if (!started) return ok = false;
      ++j;
      started = false;
    }
    if (j == lines.size() || ce <= lines[j].start_byte) return true;  // not selected
    if (cs < lines[j].start_byte || ce > lines[j].end_byte) return ok = false;
    if (cs == lines[j].start_byte) started = true;
    if (!started) return ok = false;
    out.push_back(c);
    return true;
  });
  if (!ok) return false;
  // Every remaining line must have been found, the current one included.
  return j == lines.size() || (j + 1 == lines.size() && started);
}

// Reads the tree of one selected line parsed on its own, syntax errors included.
void read_alone(TSNode root, extract::Extractor& ex, Feeder& feeder) {
  if (ts_node_symbol(root) == static_cast<TSSymbol>(-1)) {
    feeder.feed(root);
  } else {
    ts::for_each_named_child(root, [&](TSNode c) {
      feeder.feed(c);
      return true;
    });
  }
  ex.collect_errors(root);
}

// Reads the lines the scanner selected. One tree-sitter parse covers them all. If it
// finds a syntax error, or its statements do not line up with the lines, each line
// is parsed again on its own, so that error recovery cannot merge a broken statement
// with the next one, and the errors found are those of the selected lines.
ParsedMigration read_selected(std::string_view source, const scan::ModuleScan& scan) {
  extract::Extractor ex(source);
  Feeder feeder(ex, scan.rebindings);
  if (!scan.statements.empty()) {
    std::vector<TSRange> ranges;
    ranges.reserve(scan.statements.size() * 2);
    for (const auto& s : scan.statements) add_ranges(s, ranges);
    ts::Tree tree = ts::parse_ranges(source, ranges);
    std::vector<TSNode> nodes;
    if (tree && !ts_node_has_error(ts_tree_root_node(tree.get())) &&
        aligned_statements(ts_tree_root_node(tree.get()), scan.statements, nodes)) {
      for (TSNode n : nodes) feeder.feed(n);
    } else if (scan.statements.size() == 1 && tree) {
      read_alone(ts_tree_root_node(tree.get()), ex, feeder);  // already parsed alone
    } else {
      tree.reset();
      std::vector<TSRange> one;
      for (const auto& s : scan.statements) {
        one.clear();
        add_ranges(s, one);
        ts::Tree t = ts::parse_ranges(source, one);
        if (t) read_alone(ts_tree_root_node(t.get()), ex, feeder);
      }
    }
  }
  feeder.finish();
  ParsedMigration parsed = std::move(ex).finish();
  for (const auto& s : scan.statements) {
    if (!s.too_deep) continue;
    parsed.syntax_errors.push_back({on_one_line(s.deep_byte, s.deep_line, s.deep_column, 1),
                                    "too many nested parentheses (Python allows " +
                                        std::to_string(scan::kMaxNesting) +
                                        " levels); the value is not read past this point"});
  }
  add_conflict_markers(source, parsed);
  add_token_error(scan, parsed);
  return parsed;
}

TSPoint advance(TSPoint p, std::string_view text) {
  const size_t last_nl = text.rfind('\n');
  if (last_nl == std::string_view::npos) {
    p.column += static_cast<uint32_t>(text.size());
    return p;
  }
  p.row += static_cast<uint32_t>(std::count(text.begin(), text.end(), '\n'));
  p.column = static_cast<uint32_t>(text.size() - last_nl - 1);
  return p;
}

}  // namespace

ParsedMigration parse_migration(std::string_view source) {
  if (source.size() > kMaxSource) return too_large();
  scan::ModuleScan scan = scan::scan_module(source);
  {
    extract::Extractor ex(source);
    if (fast::read_simple_lines(source, scan, ex)) {
      ParsedMigration parsed = std::move(ex).finish();
      add_conflict_markers(source, parsed);
      add_token_error(scan, parsed);
      return parsed;
    }
  }
  return read_selected(source, scan);
}

namespace detail {
ParsedMigration parse_migration_tree_sitter(std::string_view source) {
  if (source.size() > kMaxSource) return too_large();
  return read_selected(source, scan::scan_module(source));
}
}  // namespace detail

struct MigrationDocument::Impl {
  std::string text;
  ts::Tree tree;
  ParsedMigration parsed;

  void reparse(const TSTree* old) {
    if (text.size() > kMaxSource) {
      tree.reset();
      parsed = too_large();
      return;
    }
    scan::ModuleScan scan = scan::scan_module(text);
    if (scan.max_depth > scan::kMaxNesting || text.size() > kMaxFullTree) {
      // Text Python refuses anyway; a full tree of it could reach tree-sitter's
      // double free (see scan::Statement::too_deep). Or a text large enough for a
      // node of 65,536 children (kMaxFullTree). Read the selected lines only.
      tree.reset();
      parsed = read_selected(text, scan);
      return;
    }
    ts::Tree fresh = ts::parse_full(text, old);
    tree = std::move(fresh);
    refresh(scan);
  }

  // The document reads the same statements as parse_migration (the scanner's
  // selection), taking their nodes from the full tree when it is error-free and its
  // statements line up with the selected lines. Otherwise (a syntax error anywhere:
  // tree-sitter's recovery may fold well-formed statements into an ERROR node, and a
  // missing ')' in upgrade() can swallow what follows) it reads them the cold path's
  // way, each line on its own. The values stay steady while the user types, and equal
  // to parse_migration's.
  void refresh(const scan::ModuleScan& scan) {
    std::vector<TSNode> nodes;
    if (tree && !ts_node_has_error(ts_tree_root_node(tree.get())) &&
        aligned_statements(ts_tree_root_node(tree.get()), scan.statements, nodes)) {
      extract::Extractor ex(text);
      Feeder feeder(ex, scan.rebindings);
      for (TSNode n : nodes) feeder.feed(n);
      feeder.finish();
      parsed = std::move(ex).finish();
      add_conflict_markers(text, parsed);
      add_token_error(scan, parsed);
      return;
    }
    parsed = read_selected(text, scan);
  }
};

MigrationDocument::MigrationDocument(std::string text) : impl_(std::make_unique<Impl>()) {
  impl_->text = std::move(text);
  impl_->reparse(nullptr);
}

MigrationDocument::~MigrationDocument() = default;
MigrationDocument::MigrationDocument(MigrationDocument&&) noexcept = default;
MigrationDocument& MigrationDocument::operator=(MigrationDocument&&) noexcept = default;

void MigrationDocument::edit(uint32_t start_byte, uint32_t old_end_byte,
                             std::string_view new_text) {
  if (!impl_) impl_ = std::make_unique<Impl>();
  std::string& text = impl_->text;
  const uint32_t size = static_cast<uint32_t>(std::min(text.size(), kMaxSource));
  const uint32_t start = std::min(start_byte, size);
  const uint32_t old_end = std::clamp(old_end_byte, start, size);
  if (text.size() - (old_end - start) + new_text.size() > kMaxSource || !impl_->tree) {
    text.replace(start, old_end - start, new_text);
    impl_->reparse(nullptr);
    return;
  }
  TSInputEdit e;
  e.start_byte = start;
  e.old_end_byte = old_end;
  e.new_end_byte = start + static_cast<uint32_t>(new_text.size());
  e.start_point = advance(TSPoint{0, 0}, std::string_view(text).substr(0, start));
  e.old_end_point = advance(e.start_point, std::string_view(text).substr(start, old_end - start));
  e.new_end_point = advance(e.start_point, new_text);
  text.replace(start, old_end - start, new_text);
  ts_tree_edit(impl_->tree.get(), &e);
  impl_->reparse(impl_->tree.get());
}

void MigrationDocument::set_text(std::string text) {
  if (!impl_) impl_ = std::make_unique<Impl>();
  impl_->text = std::move(text);
  impl_->reparse(nullptr);
}

const std::string& MigrationDocument::text() const {
  static const std::string empty;
  return impl_ ? impl_->text : empty;
}

const ParsedMigration& MigrationDocument::parsed() const {
  static const ParsedMigration empty;
  return impl_ ? impl_->parsed : empty;
}

}  // namespace alembic
