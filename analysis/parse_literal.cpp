#include "analysis/parse_literal.h"

#include <algorithm>
#include <cstring>

namespace alembic::literal {

bool is_prefix_char(char c) {
  switch (c) {
    case 'r':
    case 'R':
    case 'u':
    case 'U':
    case 'b':
    case 'B':
    case 'f':
    case 'F':
    case 't':
    case 'T':
      return true;
    default:
      return false;
  }
}

Prefix read_prefix(std::string_view literal) {
  Prefix p;
  while (p.length < literal.size() && is_prefix_char(literal[p.length])) {
    switch (literal[p.length]) {
      case 'r':
      case 'R':
        p.raw = true;
        break;
      case 'b':
      case 'B':
        p.bytes = true;
        break;
      case 'f':
      case 'F':
      case 't':
      case 'T':
        p.formatted = true;
        break;
      default:
        break;
    }
    ++p.length;
  }
  return p;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the body of a literal; keeps `offsets` in step with `out`.
class BodyDecoder {
 public:
  BodyDecoder(std::string_view lit, size_t begin, size_t end, bool raw, Escapes escapes,
              std::vector<uint32_t>* offsets)
      : lit_(lit), j_(begin), end_(end), raw_(raw), escapes_(escapes), offsets_(offsets) {
    out_.reserve(end - begin);
  }

  std::optional<std::string> run() {
    while (j_ < end_) {
      char c = lit_[j_];
      if (c == '\r') {
        emit('\n', j_);
        j_ += (j_ + 1 < end_ && lit_[j_ + 1] == '\n') ? 2 : 1;
      } else if (c != '\\' || raw_ || j_ + 1 >= end_) {
        // In a raw string the backslash stays and the next character is read as usual.
        emit(c, j_);
        ++j_;
      } else if (!escape()) {
        return std::nullopt;
      }
    }
    if (offsets_) offsets_->push_back(static_cast<uint32_t>(end_));
    return std::move(out_);
  }

 private:
  void emit(char c, size_t at) {
    out_.push_back(c);
    if (offsets_) offsets_->push_back(static_cast<uint32_t>(at));
  }

  void emit_code_point(uint32_t cp, size_t at) {
    size_t before = out_.size();
    append_utf8(out_, cp);
    if (offsets_)
      offsets_->insert(offsets_->end(), out_.size() - before, static_cast<uint32_t>(at));
  }

  // An escape that Python rejects, or that we cannot decode (\N{name} needs the
  // Unicode name table): no value in strict mode, source text kept otherwise.
  bool undecodable() {
    if (escapes_ == Escapes::Strict) return false;
    emit('\\', j_);
    ++j_;
    return true;
  }

  // Reads `count` hex digits after the escape letter; -1 when they are not there.
  int64_t hex_digits(size_t count) const {
    if (j_ + 2 + count > end_) return -1;
    int64_t v = 0;
    for (size_t k = 0; k < count; ++k) {
      int h = hex_value(lit_[j_ + 2 + k]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  }

  bool escape() {
    const size_t at = j_;
    const char d = lit_[j_ + 1];
    char simple = 0;
    switch (d) {
      case '\n':
        j_ += 2;
        return true;  // backslash-newline joins lines
      case '\r':
        j_ += 2;
        if (j_ < end_ && lit_[j_] == '\n') ++j_;
        return true;
      case '\\':
        simple = '\\';
        break;
      case '\'':
        simple = '\'';
        break;
      case '"':
        simple = '"';
        break;
      case 'a':
        simple = '\a';
        break;
      case 'b':
        simple = '\b';
        break;
      case 'f':
        simple = '\f';
        break;
      case 'n':
        simple = '\n';
        break;
      case 'r':
        simple = '\r';
        break;
      case 't':
        simple = '\t';
        break;
      case 'v':
        simple = '\v';
        break;
      case 'x':
      case 'u':
      case 'U': {
        size_t count = d == 'x' ? 2 : d == 'u' ? 4 : 8;
        int64_t cp = hex_digits(count);
        if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return undecodable();
        emit_code_point(static_cast<uint32_t>(cp), at);
        j_ += 2 + count;
        return true;
      }
      case 'N':
        return undecodable();
      default:
        break;
    }
    if (simple != 0) {
      emit(simple, at);
      j_ += 2;
      return true;
    }
    if (d >= '0' && d <= '7') {
      uint32_t v = 0;
      size_t k = j_ + 1;
      for (size_t n = 0; n < 3 && k < end_ && lit_[k] >= '0' && lit_[k] <= '7'; ++n, ++k)
        v = v * 8 + static_cast<uint32_t>(lit_[k] - '0');
      emit_code_point(v, at);
      j_ = k;
      return true;
    }
    // Unknown escapes stay as written (Python only warns about them).
    emit('\\', at);
    ++j_;
    return true;
  }

  std::string_view lit_;
  size_t j_;
  size_t end_;
  bool raw_;
  Escapes escapes_;
  std::vector<uint32_t>* offsets_;
  std::string out_;
};

}  // namespace

std::optional<std::string> decode_str(std::string_view lit, Escapes escapes,
                                      std::vector<uint32_t>* offsets) {
  const Prefix p = read_prefix(lit);
  if (p.bytes || p.formatted || p.length >= lit.size()) return std::nullopt;
  const char q = lit[p.length];
  if (q != '"' && q != '\'') return std::nullopt;
  const size_t rest = lit.size() - p.length;
  const bool triple = rest >= 6 && lit[p.length + 1] == q && lit[p.length + 2] == q;
  const size_t qlen = triple ? 3 : 1;
  if (rest < 2 * qlen) return std::nullopt;
  for (size_t k = lit.size() - qlen; k < lit.size(); ++k)
    if (lit[k] != q) return std::nullopt;
  const size_t begin = p.length + qlen;
  const size_t end = lit.size() - qlen;
  // A closing quote preceded by an odd run of backslashes is escaped: not a literal's end.
  size_t slashes = 0;
  while (end - slashes > begin && lit[end - slashes - 1] == '\\') ++slashes;
  if (slashes % 2 == 1) return std::nullopt;
  if (offsets) {
    offsets->clear();
    offsets->reserve(end - begin + 1);
  } else if (const std::string_view body = lit.substr(begin, end - begin);
             body.find_first_of("\\\r") == std::string_view::npos) {
    return std::string(body);  // nothing to decode: the body as it is
  }
  return BodyDecoder(lit, begin, end, p.raw, escapes, offsets).run();
}

void PointCursor::locate(uint32_t byte, uint32_t& line, uint32_t& column) {
  byte = std::min<uint32_t>(byte, static_cast<uint32_t>(source_.size()));
  if (byte < at_.byte) at_ = base_;
  if (byte < at_.byte) byte = at_.byte;
  while (at_.byte < byte) {
    const void* nl = std::memchr(source_.data() + at_.byte, '\n', byte - at_.byte);
    if (!nl) {
      at_.column += byte - at_.byte;
      at_.byte = byte;
      break;
    }
    at_.byte = static_cast<uint32_t>(static_cast<const char*>(nl) - source_.data()) + 1;
    ++at_.line;
    at_.column = 0;
  }
  line = at_.line;
  column = at_.column;
}

SourceRange PointCursor::range(uint32_t start, uint32_t end) {
  SourceRange r;
  r.start_byte = start;
  r.end_byte = end;
  locate(start, r.start_line, r.start_column);
  locate(end, r.end_line, r.end_column);
  return r;
}

}  // namespace alembic::literal
