#include "analysis/ts_python.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace alembic::ts {

namespace {

TSSymbol named_symbol(const TSLanguage* lang, const char* name) {
  return ts_language_symbol_for_name(lang, name, static_cast<uint32_t>(std::strlen(name)), true);
}

TSFieldId field(const TSLanguage* lang, const char* name) {
  return ts_language_field_id_for_name(lang, name, static_cast<uint32_t>(std::strlen(name)));
}

Symbols lookup_symbols() {
  const TSLanguage* lang = tree_sitter_python();
  Symbols s{};
  s.expression_statement = named_symbol(lang, "expression_statement");
  s.assignment = named_symbol(lang, "assignment");
  s.augmented_assignment = named_symbol(lang, "augmented_assignment");
  s.identifier = named_symbol(lang, "identifier");
  s.string = named_symbol(lang, "string");
  s.concatenated_string = named_symbol(lang, "concatenated_string");
  s.parenthesized_expression = named_symbol(lang, "parenthesized_expression");
  s.tuple = named_symbol(lang, "tuple");
  s.list = named_symbol(lang, "list");
  s.expression_list = named_symbol(lang, "expression_list");
  s.none = named_symbol(lang, "none");
  s.comment = named_symbol(lang, "comment");
  s.left = field(lang, "left");
  s.right = field(lang, "right");
  return s;
}

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
using ParserPtr = std::unique_ptr<TSParser, ParserDeleter>;

// Parsers are reused (creating one per file would cost more than parsing a migration's few
// selected lines) from a pool: a TSParser must not be shared, so each parse takes one out
// and puts it back. Not a thread_local parser: in the MinGW build (emulated TLS) its
// destruction at a worker thread's end crashed in ts_stack_clear under wine, closing the
// server; a pool has no per-thread destructor.
class ParserPool {
 public:
  ParserPtr take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        ParserPtr p = std::move(idle_.back());
        idle_.pop_back();
        return p;
      }
    }
    ParserPtr p(ts_parser_new());
    ts_parser_set_language(p.get(), tree_sitter_python());
    return p;
  }
  void give_back(ParserPtr p) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(p));
  }

 private:
  std::mutex mutex_;
  std::vector<ParserPtr> idle_;
};

ParserPool& pool() {
  static ParserPool* instance = new ParserPool;  // never destroyed: threads may still parse
  return *instance;
}

// One parser taken from the pool for the length of a parse.
class PooledParser {
 public:
  PooledParser() : parser_(pool().take()) {}
  ~PooledParser() { pool().give_back(std::move(parser_)); }
  PooledParser(const PooledParser&) = delete;
  PooledParser& operator=(const PooledParser&) = delete;
  TSParser* get() const { return parser_.get(); }

 private:
  ParserPtr parser_;
};

// tree-sitter reads a NUL byte as the end of input, so a NUL inside a comment or a
// string would cut the rest of the line off. The reader hands tree-sitter the
// source in chunks that stop before each NUL and shows every NUL as U+0001, which
// Python code never contains either: same byte offsets, no early end of input.
constexpr size_t kChunk = 64 * 1024;

const char* read_chunk(void* payload, uint32_t byte, TSPoint, uint32_t* bytes_read) {
  const auto* source = static_cast<const std::string_view*>(payload);
  if (byte >= source->size()) {
    *bytes_read = 0;
    return "";
  }
  const char* p = source->data() + byte;
  if (*p == '\0') {
    *bytes_read = 1;
    return "\x01";
  }
  size_t len = std::min(source->size() - byte, kChunk);
  if (const void* nul = std::memchr(p, 0, len)) {
    len = static_cast<size_t>(static_cast<const char*>(nul) - p);
  } else if (len == kChunk) {
    // Do not end a chunk inside a UTF-8 sequence.
    size_t cut = len;
    while (cut > 0 && (static_cast<unsigned char>(p[cut]) & 0xC0) == 0x80) --cut;
    if (cut > 0) len = cut;
  }
  *bytes_read = static_cast<uint32_t>(len);
  return p;
}

TSTree* parse_input(TSParser* p, const TSTree* old, std::string_view source) {
  TSInput input{&source, read_chunk, TSInputEncodingUTF8};
  return ts_parser_parse(p, old, input);
}

}  // namespace

const Symbols& symbols() {
  static const Symbols s = lookup_symbols();
  return s;
}

Tree parse_full(std::string_view source, const TSTree* old) {
  const PooledParser parser;
  TSParser* p = parser.get();
  ts_parser_set_included_ranges(p, nullptr, 0);
  return Tree(parse_input(p, old, source));
}

Tree parse_ranges(std::string_view source, const std::vector<TSRange>& ranges) {
  const PooledParser parser;
  TSParser* p = parser.get();
  if (!ts_parser_set_included_ranges(p, ranges.data(), static_cast<uint32_t>(ranges.size())))
    return nullptr;
  return Tree(parse_input(p, nullptr, source));
}

}  // namespace alembic::ts
