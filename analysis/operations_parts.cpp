#include "analysis/operations_parts.h"

#include <string>

#include "analysis/python_scan.h"

namespace alembic::parts {

namespace {

using scan::LogicalLine;

bool is_clause(std::string_view w) {
  return w == "elif" || w == "else" || w == "except" || w == "finally";
}

// A run of logical lines [first, last] that is one statement of a block.
struct Statement {
  size_t first = 0, last = 0;
  bool clauses = false;    ///< has an elif / else / except / finally line
  bool decorated = false;  ///< starts with a decorator
};

class Planner {
 public:
  Planner(std::string_view source, size_t limit)
      : s_(source), lines_(scan::logical_lines(source, &strings_)), limit_(limit) {
    // Each line's included bytes, and its first long string.
    included_.resize(lines_.size());
    first_string_.resize(lines_.size());
    size_t k = 0;
    for (size_t i = 0; i < lines_.size(); ++i) {
      while (k < strings_.size() && strings_[k].start_byte < lines_[i].start_byte) ++k;
      first_string_[i] = k;
      size_t n = lines_[i].end_byte - lines_[i].start_byte;
      for (size_t j = k; j < strings_.size() && strings_[j].end_byte <= lines_[i].end_byte; ++j)
        n -= strings_[j].end_byte - strings_[j].start_byte;
      included_[i] = n;
    }
  }

  Plan run() {
    size_t bad = lines_.size();
    // Module level; from a first line indented (Python refuses the file) on, nothing is read.
    const std::vector<Statement> items = group(0, lines_.size(), bad, true);
    Part cur;
    for (const Statement& item : items) {
      size_t d = item.first;
      while (d < item.last && word(d, 0) == "@") ++d;  // decorators: not needed
      const bool def = word(d, 0) == "def" || (word(d, 0) == "async" && word(d, 1) == "def");
      if (def) {
        definition(d, item.last, cur);
      } else if (is_binding(item.first) && item.first == item.last) {
        const size_t n = bytes(item.first, item.last);
        if (!fits(cur, n)) emit(cur, {});
        if (fits(cur, n)) {
          add(cur, item.first, item.last);
        } else {
          const std::string_view name = word(item.first, 0);
          out_.unread_bindings.push_back({offset(name), name});
        }
      }
    }
    emit(cur, {});
    return std::move(out_);
  }

 private:
  struct Part {
    std::vector<TSRange> ranges;
    std::vector<uint32_t> skip;  ///< PlannedPart::skip
    size_t bytes = 0;            ///< included bytes, the tail's too
    bool body = false;           ///< holds something beyond the prefix
    Part* tail = nullptr;        ///< ranges (and skips) to end the part with
  };

  std::string_view word(size_t line, int k) const { return lines_[line].words[k].text; }
  uint32_t offset(std::string_view w) const { return static_cast<uint32_t>(w.data() - s_.data()); }

  bool is_binding(size_t line) const {
    const std::string_view first = word(line, 0), second = word(line, 1);
    if (first.empty() || !(second == "=" || second == ":")) return false;
    const unsigned char c = static_cast<unsigned char>(first[0]);
    return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  size_t bytes(size_t first, size_t last) const {
    size_t n = 0;
    for (size_t i = first; i <= last; ++i) n += included_[i];
    return n;
  }

  bool fits(const Part& p, size_t n) const { return p.bytes + n <= limit_; }

  // Lines [first, last], less the interiors of their long strings.
  void add(Part& p, size_t first, size_t last) const {
    auto push = [&](uint32_t sb, TSPoint sp, uint32_t eb, TSPoint ep) {
      if (sb >= eb) return;
      if (!p.ranges.empty() && p.ranges.back().end_byte == sb) {
        p.ranges.back().end_byte = eb;
        p.ranges.back().end_point = ep;
      } else {
        p.ranges.push_back({sp, ep, sb, eb});
      }
      p.bytes += eb - sb;
    };
    for (size_t i = first; i <= last; ++i) {
      const LogicalLine& l = lines_[i];
      uint32_t byte = l.start_byte;
      TSPoint point{l.start_line, l.start_column};
      for (size_t k = first_string_[i]; k < strings_.size() && strings_[k].end_byte <= l.end_byte;
           ++k) {
        const scan::StringInterior& g = strings_[k];
        push(byte, point, g.start_byte, {g.start_line, g.start_column});
        byte = g.end_byte;
        point = {g.end_line, g.end_column};
      }
      push(byte, point, l.end_byte, {l.end_line, l.end_column});
    }
    p.body = true;
  }

  // Ends the part being filled (if it holds a statement) and starts one with `prefix`.
  void emit(Part& p, const Part& prefix) {
    if (p.body) {
      for (const Part* t = p.tail; t; t = t->tail) {
        p.ranges.insert(p.ranges.end(), t->ranges.begin(), t->ranges.end());
        p.skip.insert(p.skip.end(), t->skip.begin(), t->skip.end());
      }
      out_.parts.push_back({std::move(p.ranges), std::move(p.skip)});
    }
    p = prefix;
    p.body = false;
  }

  SourceRange range(size_t first, size_t last) const {
    const LogicalLine &a = lines_[first], &b = lines_[last];
    return {a.start_byte, b.end_byte, a.start_line, a.start_column, b.end_line, b.end_column};
  }

  // The statements of the block of lines [begin, end) whose first line gives the
  // indentation. A line less indented, or indented with other whitespace, stops it
  // (Python refuses the file): `bad` is then that line, else `end`.
  std::vector<Statement> group(size_t begin, size_t end, size_t& bad, bool module = false) const {
    std::vector<Statement> out;
    bad = end;
    if (begin >= end) return out;
    const std::string_view indent =
        module ? std::string_view() : s_.substr(lines_[begin].start_byte, lines_[begin].indent);
    for (size_t i = begin; i < end; ++i) {
      const LogicalLine& l = lines_[i];
      const std::string_view mine = s_.substr(l.start_byte, l.indent);
      if (mine == indent) {
        if (!out.empty() && word(out.back().last, 0) == "@") {
          out.back().last = i;
          out.back().decorated = true;
        } else if (!out.empty() && is_clause(word(i, 0))) {
          out.back().last = i;
          out.back().clauses = true;
        } else {
          out.push_back({i, i, false, word(i, 0) == "@"});
        }
      } else if (mine.size() > indent.size() && mine.substr(0, indent.size()) == indent &&
                 !out.empty()) {
        out.back().last = i;
      } else {
        bad = i;
        break;
      }
    }
    return out;
  }

  void unread(uint32_t def_start, size_t first, size_t last, std::string reason) {
    Unread u = function_;
    u.def_start = def_start;
    u.range = range(first, last);
    u.reason = std::move(reason);
    out_.unread.push_back(std::move(u));
  }

  // A module-level definition whose `def` line is `d`, its body the lines to `last`.
  void definition(size_t d, size_t last, Part& cur) {
    const size_t n = bytes(d, last);
    if (!fits(cur, n)) emit(cur, {});
    if (fits(cur, n)) {
      add(cur, d, last);
      return;
    }
    const uint32_t def_start = lines_[d].start_byte + lines_[d].indent;
    // Its name, for the reader to know it when no part holds any of it.
    const LogicalLine::Word& w = lines_[d].words[word(d, 0) == "async" ? 2 : 1];
    const uint32_t length = static_cast<uint32_t>(w.text.size());
    function_.name = w.text;
    function_.name_range = {offset(w.text), offset(w.text) + length, w.line, w.column,
                            w.line,         w.column + length};
    Part prefix;
    add(prefix, d, d);
    if (d == last || prefix.bytes >= limit_) {
      // One logical line (a body on the `def` line), or a header alone over the limit.
      unread(def_start, d, last, too_long(d, last));
      return;
    }
    block(prefix, d + 1, last + 1, def_start, cur);
  }

  // The statements of lines [begin, end), each part starting with `prefix`.
  void block(const Part& prefix, size_t begin, size_t end, uint32_t def_start, Part& cur) {
    size_t bad = end;
    const std::vector<Statement> statements = group(begin, end, bad);
    emit(cur, prefix);
    for (const Statement& st : statements) {
      const size_t n = bytes(st.first, st.last);
      if (!fits(cur, n)) emit(cur, prefix);
      if (fits(cur, n)) {
        add(cur, st.first, st.last);
        continue;
      }
      // Alone over the limit: cut inside when it is a compound statement.
      if (compound(prefix, st, def_start, cur)) {
        emit(cur, prefix);
      } else {
        unread(def_start, st.first, st.last, too_long(st.first, st.last));
      }
    }
    if (bad < end)
      unread(
          def_start, bad, end - 1,
          "indentation Python refuses (line " + std::to_string(lines_[bad].start_line + 1) + ")");
    emit(cur, {});
  }

  // A compound statement over the limit, cut inside: the body of each clause in runs of
  // whole statements after the clause's header line. Before the header of a clause after
  // the first come the first clause's header and its smallest statement (and for a try's
  // else, an except clause's header and its smallest statement), so that tree-sitter reads
  // valid Python; the reader skips those (PlannedPart::skip), read in their own parts.
  // False when it cannot be cut: a decorated definition, a clause whose body is on its
  // header's line.
  bool compound(const Part& prefix, const Statement& st, uint32_t def_start, Part& cur) {
    if (st.decorated || st.first == st.last) return false;
    std::vector<size_t> heads;  // the clauses' header lines
    for (size_t i = st.first; i <= st.last; ++i)
      if (lines_[i].indent == lines_[st.first].indent) heads.push_back(i);
    auto end_of = [&](size_t c) { return c + 1 < heads.size() ? heads[c + 1] : st.last + 1; };
    for (size_t c = 0; c < heads.size(); ++c)
      if (end_of(c) == heads[c] + 1) return false;
    // The smallest statement of clause c's body, added to p and skipped by the reader.
    auto filler = [&](size_t c, Part& p) {
      size_t bad = 0;
      const std::vector<Statement> body = group(heads[c] + 1, end_of(c), bad);
      if (body.empty()) return;
      const Statement* smallest = &body.front();
      for (const Statement& b : body)
        if (bytes(b.first, b.last) < bytes(smallest->first, smallest->last)) smallest = &b;
      add(p, smallest->first, smallest->last);
      p.skip.push_back(lines_[smallest->first].start_byte + lines_[smallest->first].indent);
    };
    Part first = prefix;
    add(first, heads[0], heads[0]);
    first.body = false;
    for (size_t c = 0; c < heads.size(); ++c) {
      Part pre = first;
      Part tail;  // a try's body needs an except or finally after it: the next clause's
      if (c == 0 && word(heads[0], 0) == "try" && heads.size() > 1) {
        add(tail, heads[1], heads[1]);
        filler(1, tail);
        tail.tail = prefix.tail;
        pre.tail = &tail;
        pre.bytes += tail.bytes;
      } else if (c > 0) {
        filler(0, pre);
        if (word(heads[0], 0) == "try" && word(heads[c], 0) == "else") {
          for (size_t e = 1; e < c; ++e) {
            if (word(heads[e], 0) != "except") continue;
            add(pre, heads[e], heads[e]);
            filler(e, pre);
            break;
          }
        }
        add(pre, heads[c], heads[c]);
      }
      if (pre.bytes >= limit_) {
        unread(def_start, heads[c], end_of(c) - 1, too_long(heads[c], end_of(c) - 1));
        continue;
      }
      pre.body = false;
      block(pre, heads[c] + 1, end_of(c), def_start, cur);
    }
    return true;
  }

  static std::string size_text(size_t n) {
    return n >= 1024 ? std::to_string((n + 1023) / 1024) + " KiB" : std::to_string(n) + " bytes";
  }

  std::string too_long(size_t first, size_t last) const {
    std::string what = first == last ? "one logical line" : "a statement that cannot be cut";
    return what + " of " + size_text(bytes(first, last)) + ", over the " + size_text(limit_) +
           " tree-sitter is given at once";
  }

  std::string_view s_;
  std::vector<scan::StringInterior> strings_;  // long strings tree-sitter need not read
  std::vector<LogicalLine> lines_;
  std::vector<size_t> included_;      // bytes of each line given to tree-sitter
  std::vector<size_t> first_string_;  // the first of strings_ not before each line
  size_t limit_;
  Plan out_;
  Unread function_;  ///< the name of the definition being planned
};

}  // namespace

Plan plan(std::string_view source, size_t limit) {
  return Planner(source, limit).run();
}

}  // namespace alembic::parts
