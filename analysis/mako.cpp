// Mako subset. The lexer follows mako/lexer.py 1.2 step by step (expression, control
// line, <%doc>, tags, python blocks, then text), including its quirk that a zero-length
// text match skips one character: that is how `%%` at a line start loses one character.
#include "analysis/mako.h"

#include <algorithm>
#include <utility>

#include "analysis/mako_expr.h"
#include "analysis/python_repr.h"

namespace alembic::mako {
namespace {

using detail::Evaluator;
using detail::Expr;
using detail::fail;
using detail::Failure;
using detail::is_ident_char;
using detail::parse_clause;
using detail::parse_expression;
using detail::truthy;

// ---------------------------------------------------------------- template lexing

struct Node {
  enum class Kind { Text, Output, If, Elif, Else, EndIf };
  Kind kind = Kind::Text;
  size_t pos = 0;
  std::string text;                  // Text
  Expr expr;                         // Output; If/Elif: the condition
  std::vector<std::string> filters;  // Output
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  std::vector<Node> run() {
    skip_coding_line();
    while (pos_ < src_.size()) {
      if (at("${")) {
        expression();
      } else if (control_line()) {
      } else if (at("<%doc>")) {
        const size_t end = src_.find("</%doc>", pos_);
        if (end == std::string_view::npos) fail(pos_, "unclosed <%doc>");
        pos_ = end + 7;
      } else if (at("<%") && pos_ + 2 < src_.size() &&
                 (is_ident_char(src_[pos_ + 2]) || src_[pos_ + 2] == '.' ||
                  src_[pos_ + 2] == ':')) {
        tag();
      } else if (at("</%") && src_.find('>', pos_) != std::string_view::npos) {
        fail(pos_, "closing tag without an opening tag");
      } else if (at("<%")) {
        fail(pos_,
             "unsupported construct `" + std::string(src_.substr(pos_, 3)) + "` (Python block)");
      } else {
        text();
      }
    }
    if (!open_ifs_.empty()) fail(open_ifs_.back().first, "`% if` without `% endif`");
    return std::move(nodes_);
  }

 private:
  bool at(std::string_view s) const { return src_.substr(pos_, s.size()) == s; }
  bool line_start(size_t p) const { return p == 0 || src_[p - 1] == '\n'; }

  // Mako skips a first line matching `#.*coding[:=]\s*([-\w.]+).*\r?\n`.
  void skip_coding_line() {
    const std::string_view line = src_.substr(pos_, src_.find('\n', pos_) - pos_);
    if (!at("#") || pos_ + line.size() >= src_.size()) return;
    for (size_t k = line.find("coding"); k != std::string_view::npos;
         k = line.find("coding", k + 1)) {
      size_t j = k + 6, e = 0;
      if (j >= line.size() || (line[j] != ':' && line[j] != '=')) continue;
      for (j = j + 1; j < line.size() && (line[j] == ' ' || line[j] == '\t');) ++j;
      for (e = j; e < line.size() && (is_ident_char(line[e]) || line[e] == '-' || line[e] == '.');)
        ++e;
      std::string name(line.substr(j, e - j));
      for (char& c : name) c = static_cast<char>(c == '_' ? '-' : c | 0x20);
      if (name.empty()) continue;
      if (name != "utf-8" && name != "utf8" && name != "ascii")
        fail(pos_, "template encoding `" + name + "`");
      pos_ += line.size() + 1;
      return;
    }
  }

  // mako's parse_until_text: scan to a top-level stop character, skipping strings.
  size_t scan_until(std::string_view stops) {
    int depth = 0;
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '"' || c == '\'') {
        const std::string quote = at(std::string(3, c)) ? std::string(3, c) : std::string(1, c);
        const size_t end = src_.find(quote, pos_ + quote.size());
        if (end == std::string_view::npos) fail(pos_, "unmatched quote in an expression");
        if (src_[end - 1] == '\\')  // mako ends the string there, Python does not
          fail(pos_, "escaped quote in a string literal inside `${...}`");
        pos_ = end + quote.size();
        continue;
      }
      if (c == '#') fail(pos_, "comment inside `${...}`");
      if (depth <= 0 && stops.find(c) != std::string_view::npos) return pos_++;
      if (c == '(' || c == '[' || c == '{') ++depth;
      if (c == ')' || c == ']' || c == '}') --depth;
      ++pos_;
    }
    fail(pos_, "`${` without a closing `}`");
  }

  void expression() {
    const size_t start = pos_;
    pos_ += 2;
    const size_t code_start = pos_;
    size_t end = scan_until("|}");
    Node node{Node::Kind::Output,
              start,
              {},
              parse_expression(src_.substr(code_start, end - code_start), code_start),
              {}};
    if (src_[end] == '|') {
      const size_t filters_start = pos_;
      end = scan_until("}");
      std::string_view list = src_.substr(filters_start, end - filters_start);
      if (list.find_first_not_of(" \t\r\n") == std::string_view::npos) list = {};  // `${x | }`
      while (!list.empty()) {
        const size_t comma = std::min(list.find(','), list.size());
        std::string_view name = list.substr(0, comma);
        while (!name.empty() && (name.front() == ' ' || name.front() == '\t'))
          name.remove_prefix(1);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
        if (name.empty() || !std::all_of(name.begin(), name.end(), is_ident_char))
          fail(start, "unsupported filter `" + std::string(name) + "`");
        node.filters.emplace_back(name);
        list.remove_prefix(std::min(comma + 1, list.size()));
      }
    }
    nodes_.push_back(std::move(node));
  }

  // `[ \t]*(%(?!%)|##)[ \t]*(body with \-newlines)(\r?\n|$)` at a line start.
  bool control_line() {
    if (!line_start(pos_)) return false;
    size_t p = pos_;
    while (p < src_.size() && (src_[p] == ' ' || src_[p] == '\t')) ++p;
    const bool comment = src_.substr(p, 2) == "##";
    if (!comment && (src_.substr(p, 1) != "%" || src_.substr(p, 2) == "%%")) return false;
    p += comment ? 2 : 1;
    while (p < src_.size() && (src_[p] == ' ' || src_[p] == '\t')) ++p;
    const size_t body_start = p;
    while (p < src_.size() && src_[p] != '\n') {
      if (src_[p] == '\r' && src_.substr(p, 2) != "\r\n")
        fail(pos_, "carriage return inside a control line");
      if (src_[p] == '\r') break;
      p += (src_.substr(p, 2) == "\\\n") ? 2 : (src_.substr(p, 3) == "\\\r\n") ? 3 : 1;
    }
    const std::string_view body = src_.substr(body_start, p - body_start);
    const size_t line_pos = pos_;
    pos_ = std::min(src_.size(), p + (src_.substr(p, 2) == "\r\n" ? 2 : 1));
    if (!comment) control(body, body_start, line_pos);
    return true;
  }

  void control(std::string_view body, size_t body_pos, size_t line_pos) {
    size_t k = 0;
    while (k < body.size() && is_ident_char(body[k])) ++k;
    std::string_view keyword = body.substr(0, k);
    if (keyword.empty()) fail(line_pos, "invalid control line");
    const std::string_view rest = body.substr(k);
    if (keyword.size() > 3 && keyword.substr(0, 3) == "end") {
      keyword.remove_prefix(3);
      if (keyword != "if")
        fail(line_pos, "unsupported control line `% end" + std::string(keyword) + "`");
      if (open_ifs_.empty()) fail(line_pos, "`% endif` without `% if`");
      open_ifs_.pop_back();
      nodes_.push_back(Node{Node::Kind::EndIf, line_pos, {}, {}, {}});
      return;
    }
    Node node{Node::Kind::If, line_pos, {}, {}, {}};
    if (keyword == "if" || keyword == "elif" || keyword == "else") {
      node.expr = parse_clause(rest, body_pos + k, keyword != "else");
    } else {
      fail(line_pos, "unsupported control line `% " + std::string(keyword) + "`");
    }
    if (keyword == "if") {
      open_ifs_.emplace_back(line_pos, false);
    } else {
      if (open_ifs_.empty() || open_ifs_.back().second)
        fail(line_pos, "`% " + std::string(keyword) + "` without a matching `% if`");
      node.kind = keyword == "else" ? Node::Kind::Else : Node::Kind::Elif;
      open_ifs_.back().second = keyword == "else";
    }
    nodes_.push_back(std::move(node));
  }

  void tag() {
    size_t p = pos_ + 2;
    while (p < src_.size() && is_ident_char(src_[p])) ++p;
    const std::string_view keyword = src_.substr(pos_ + 2, p - pos_ - 2);
    while (p < src_.size() && (src_[p] == ' ' || src_[p] == '\t' || src_[p] == '\n')) ++p;
    if (keyword != "text" || src_.substr(p, 1) != ">")
      fail(pos_, "unsupported tag `<%" + std::string(keyword) + "`");
    const size_t end = src_.find("</%text>", p + 1);
    if (end == std::string_view::npos) fail(pos_, "unclosed <%text>");
    append_text(src_.substr(p + 1, end - p - 1));
    pos_ = end + 8;
  }

  // mako's match_text: text up to the next construct; a `\` before a newline swallows
  // both. A zero-length match makes mako skip one character, which we reproduce.
  void text() {
    const size_t start = pos_;
    size_t q = pos_;
    size_t skip = 0;
    for (; q < src_.size(); ++q) {
      if (line_start(q) && q > 0) {
        size_t p = q;
        while (p < src_.size() && (src_[p] == ' ' || src_[p] == '\t')) ++p;
        if (src_.substr(p, 1) == "%" || src_.substr(p, 2) == "##") break;
      }
      const std::string_view rest = src_.substr(q);
      if (rest.substr(0, 2) == "${" || rest.substr(0, 2) == "<%" || rest.substr(0, 2) == "<&" ||
          rest.substr(0, 3) == "</%" || rest.substr(0, 3) == "</&")
        break;
      if (rest.substr(0, 2) == "\\\n" || rest.substr(0, 3) == "\\\r\n") {
        skip = rest[1] == '\n' ? 2 : 3;
        break;
      }
    }
    append_text(src_.substr(start, q - start));
    pos_ = q + skip;
    if (q == start && skip == 0) ++pos_;  // mako's zero-length match advances by one
  }

  void append_text(std::string_view s) {
    if (s.empty()) return;
    if (!nodes_.empty() && nodes_.back().kind == Node::Kind::Text) {
      nodes_.back().text += s;
    } else {
      nodes_.push_back(Node{Node::Kind::Text, pos_, std::string(s), {}, {}});
    }
  }

  std::string_view src_;
  size_t pos_ = 0;
  std::vector<Node> nodes_;
  std::vector<std::pair<size_t, bool>> open_ifs_;  // position, seen `% else`
};

// ---------------------------------------------------------------- rendering

std::string render_nodes(const std::vector<Node>& nodes, const Variables& vars) {
  struct Branch {
    bool outer_active;
    bool taken;
  };
  std::vector<Branch> branches;
  bool active = true;
  std::string out;
  for (const Node& node : nodes) {
    const Evaluator eval(vars, node.pos);
    switch (node.kind) {
      case Node::Kind::Text:
        if (active) out += node.text;
        break;
      case Node::Kind::Output: {
        if (!active) break;
        Value v = eval.eval(node.expr);
        const bool raw =
            std::find(node.filters.begin(), node.filters.end(), "n") != node.filters.end();
        if (!raw) v = eval.filter("str", v);
        for (const std::string& f : node.filters)
          if (f != "n") v = eval.filter(f, v);
        if (v.kind != Value::Kind::Str)
          fail(node.pos, "an expression rendered with `| n` is not a str");
        out += v.text;
        break;
      }
      case Node::Kind::If: {
        const bool cond = active && truthy(eval.eval(node.expr));
        branches.push_back({active, cond});
        active = cond;
        break;
      }
      case Node::Kind::Elif: {
        Branch& b = branches.back();
        active = b.outer_active && !b.taken && truthy(eval.eval(node.expr));
        b.taken = b.taken || active;
        break;
      }
      case Node::Kind::Else: {
        Branch& b = branches.back();
        active = b.outer_active && !b.taken;
        b.taken = true;
        break;
      }
      case Node::Kind::EndIf:
        active = branches.back().outer_active;
        branches.pop_back();
        break;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> render(std::string_view tmpl, const Variables& vars, std::string* why) {
  if (tmpl.substr(0, 3) == "\xEF\xBB\xBF") tmpl.remove_prefix(3);  // Mako drops a UTF-8 BOM
  try {
    if (python::encode_utf8(python::decode_utf8(tmpl)) != tmpl)
      fail(0, "the template is not valid UTF-8");
    return render_nodes(Lexer(tmpl).run(), vars);
  } catch (const Failure& f) {
    if (why) {
      const size_t pos = std::min(f.pos, tmpl.size());
      const auto line =
          1 + std::count(tmpl.begin(), tmpl.begin() + static_cast<std::ptrdiff_t>(pos), '\n');
      *why = "line " + std::to_string(line) + ": " + f.what;
    }
    return std::nullopt;
  }
}

}  // namespace alembic::mako
