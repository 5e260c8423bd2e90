// parse_migration (cold path: scan, then tree-sitter on the selected lines only) and
// MigrationDocument (full incremental tree). Both read values with extract::Extractor.
#include "analysis/parser.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "analysis/parse_extract.h"
#include "analysis/python_scan.h"
#include "analysis/ts_python.h"

namespace alembic {

namespace {

constexpr size_t kMaxSource = std::numeric_limits<uint32_t>::max() - 1;

ParsedMigration too_large() {
  ParsedMigration p;
  p.syntax_errors.push_back({SourceRange{}, "file too large to read (4 GiB or more)"});
  return p;
}

TSRange to_range(const scan::Statement& s) {
  TSRange r;
  r.start_byte = s.start_byte;
  r.end_byte = s.end_byte;
  r.start_point = {s.start_line, s.start_column};
  r.end_point = {s.end_line, s.end_column};
  return r;
}

// Feeds the module-level children of `root` to `ex`, applying the scanner's
// rebindings that come before each one.
class Feeder {
 public:
  Feeder(std::string_view source, extract::Extractor& ex,
         const std::vector<scan::Rebinding>& rebindings)
      : source_(source), ex_(ex), rebindings_(rebindings) {}

  void rebind_before(uint32_t byte) {
    while (next_ < rebindings_.size() && rebindings_[next_].byte < byte)
      ex_.rebind(rebindings_[next_++].name);
  }

  // Only statements on a line that starts at column 0 are module level. tree-sitter
  // accepts an unexpected indent (`    x = 1` after a simple statement) without an
  // error, where Python raises IndentationError; such lines are not read, as the
  // scanner does not read them. A line may hold several statements (`a; b`).
  void module(TSNode root) {
    if (ts_node_symbol(root) == static_cast<TSSymbol>(-1)) {  // whole input is an ERROR
      rebind_before(ts_node_start_byte(root));
      ex_.statement(root);
      return;
    }
    const TSSymbol comment = ts::symbols().comment;
    bool line_at_column0 = false;
    uint32_t last_row = std::numeric_limits<uint32_t>::max();
    const uint32_t k = ts_node_named_child_count(root);
    for (uint32_t i = 0; i < k; ++i) {
      TSNode c = ts_node_named_child(root, i);
      if (ts_node_symbol(c) == comment) continue;
      const TSPoint start = ts_node_start_point(c);
      if (start.row != last_row) line_at_column0 = start.column == 0 || after_bom(c);
      last_row = ts_node_end_point(c).row;
      rebind_before(ts_node_start_byte(c));
      if (line_at_column0) ex_.statement(c);
    }
  }

 private:
  bool after_bom(TSNode n) const {
    return ts_node_start_byte(n) == 3 && source_.starts_with("\xEF\xBB\xBF");
  }

  std::string_view source_;
  extract::Extractor& ex_;
  const std::vector<scan::Rebinding>& rebindings_;
  size_t next_ = 0;
};

// Reads the lines the scanner selected. One tree-sitter parse covers them all; if it
// finds a syntax error, each line is parsed again on its own, so that error recovery
// cannot merge a broken statement with the next one (the scanner already knows where
// each logical line ends) and the errors found are those of the selected lines.
ParsedMigration read_selected(std::string_view source, const scan::ModuleScan& scan) {
  extract::Extractor ex(source);
  Feeder feed(source, ex, scan.rebindings);
  if (!scan.statements.empty()) {
    std::vector<TSRange> ranges;
    ranges.reserve(scan.statements.size());
    for (const auto& s : scan.statements) ranges.push_back(to_range(s));
    ts::Tree tree = ts::parse_ranges(source, ranges);
    if (tree && !ts_node_has_error(ts_tree_root_node(tree.get()))) {
      feed.module(ts_tree_root_node(tree.get()));
    } else {
      tree.reset();
      std::vector<TSRange> one(1);
      for (const TSRange& r : ranges) {
        one[0] = r;
        ts::Tree t = ts::parse_ranges(source, one);
        if (!t) continue;
        TSNode root = ts_tree_root_node(t.get());
        feed.module(root);
        ex.collect_errors(root);
      }
    }
  }
  feed.rebind_before(std::numeric_limits<uint32_t>::max());
  return std::move(ex).finish();
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
  return read_selected(source, scan::scan_module(source));
}

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
    ts::Tree fresh = ts::parse_full(text, old);
    tree = std::move(fresh);
    refresh();
  }

  // An error-free tree is read directly. When tree-sitter found an error anywhere,
  // its recovery may have folded well-formed module-level statements into an ERROR
  // node (a missing ')' in upgrade() can swallow what follows), so the document is
  // read the cold path's way: each selected logical line on its own. That keeps the
  // values steady while the user types, and equal to parse_migration.
  void refresh() {
    if (!tree || ts_node_has_error(ts_tree_root_node(tree.get()))) {
      parsed = parse_migration(text);
      return;
    }
    extract::Extractor ex(text);
    std::vector<scan::Rebinding> none;
    Feeder(text, ex, none).module(ts_tree_root_node(tree.get()));
    parsed = std::move(ex).finish();
  }
};

MigrationDocument::MigrationDocument(std::string text) : impl_(std::make_unique<Impl>()) {
  impl_->text = std::move(text);
  impl_->reparse(nullptr);
}

MigrationDocument::~MigrationDocument() = default;
MigrationDocument::MigrationDocument(MigrationDocument&&) noexcept = default;
MigrationDocument& MigrationDocument::operator=(MigrationDocument&&) noexcept = default;

void MigrationDocument::edit(uint32_t start_byte, uint32_t old_end_byte, std::string_view new_text) {
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
