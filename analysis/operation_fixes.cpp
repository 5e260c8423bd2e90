#include "analysis/operation_fixes.h"

#include <cctype>

namespace alembic {

namespace {

bool identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The literal a column of type `type` (its source, "sa.Integer()") can default to.
std::optional<std::string> default_for(std::string_view type) {
  size_t end = type.find('(');
  std::string_view name = type.substr(0, end);
  if (size_t dot = name.rfind('.'); dot != std::string_view::npos) name = name.substr(dot + 1);
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* n : {"integer", "biginteger", "smallinteger", "numeric", "float", "decimal",
                        "int", "bigint", "smallint", "real", "double"})
    if (lower == n) return "\"0\"";
  if (lower == "boolean" || lower == "bool") return "\"false\"";
  for (const char* s : {"string", "text", "unicode", "unicodetext", "varchar", "char"})
    if (lower == s) return "\"\"";
  return std::nullopt;
}

}  // namespace

std::optional<EditPlan> plan_server_default(const std::string& path, std::string_view source,
                                            const Operation& op, std::string* value) {
  if (op.kind != OpKind::AddColumn || !op.type.literal() || op.range.end_byte > source.size())
    return std::nullopt;
  const std::optional<std::string> literal = default_for(op.type.text);
  if (!literal) return std::nullopt;
  // `nullable` as a keyword of its own (not existing_nullable), then `=`, then False.
  const std::string_view call =
      source.substr(op.range.start_byte, op.range.end_byte - op.range.start_byte);
  for (size_t at = call.find("nullable"); at != std::string_view::npos;
       at = call.find("nullable", at + 1)) {
    if (at > 0 && identifier_char(call[at - 1])) continue;
    size_t p = at + 8;
    while (p < call.size() && call[p] == ' ') ++p;
    if (p >= call.size() || call[p] != '=') continue;
    ++p;
    while (p < call.size() && call[p] == ' ') ++p;
    if (call.substr(p, 5) != "False" || (p + 5 < call.size() && identifier_char(call[p + 5])))
      continue;
    if (value) *value = *literal;
    EditPlan plan;
    const uint32_t where = op.range.start_byte + static_cast<uint32_t>(at);
    plan.edits.push_back({path, where, where, "server_default=" + *literal + ", "});
    return plan;
  }
  return std::nullopt;
}

std::optional<EditPlan> plan_concurrent_index(const std::string& path, std::string_view source,
                                              const Operation& op) {
  if ((op.kind != OpKind::CreateIndex && op.kind != OpKind::DropIndex) || op.batch ||
      op.range.end_byte > source.size() || op.range.end_byte == 0 ||
      op.concurrently == Flag::False || op.concurrently == Flag::Unknown)
    return std::nullopt;
  const uint32_t start = op.range.start_byte, end = op.range.end_byte;
  // The statement alone on its lines: only indentation before, only a comment after.
  const size_t line_start = source.rfind('\n', start == 0 ? 0 : start - 1);
  const uint32_t first = line_start == std::string_view::npos || start == 0
                             ? 0
                             : static_cast<uint32_t>(line_start + 1);
  const std::string_view indent = source.substr(first, start - first);
  for (char c : indent)
    if (c != ' ') return std::nullopt;
  size_t after = end;
  while (after < source.size() && (source[after] == ' ' || source[after] == '\t')) ++after;
  if (after < source.size() && source[after] != '\n' && source[after] != '\r' &&
      source[after] != '#')
    return std::nullopt;
  const std::string_view call = source.substr(start, end - start);
  if (call.find("\"\"\"") != std::string_view::npos || call.find("'''") != std::string_view::npos)
    return std::nullopt;
  if (call.empty() || call.back() != ')') return std::nullopt;
  std::string text(call);
  if (op.concurrently != Flag::True) {
    // After the last argument: `, postgresql_concurrently=True` (or after its comma).
    size_t last = text.size() - 1;
    size_t p = last;
    while (p > 0 && (text[p - 1] == ' ' || text[p - 1] == '\n' || text[p - 1] == '\r')) --p;
    if (p > 0 && text[p - 1] == ',')
      text.insert(p, " postgresql_concurrently=True,");
    else
      text.insert(p, ", postgresql_concurrently=True");
  }
  EditPlan plan;
  if (op.in_autocommit_block) {
    plan.edits.push_back({path, start, end, text});
    return plan;
  }
  // Each line of the call one level deeper, under the `with`, in the file's line ends.
  const bool crlf = source.find("\r\n", start) == source.find('\n', start) - 1;
  std::string body = "    ";
  for (char c : text) {
    body += c;
    if (c == '\n') body += "    ";
  }
  plan.edits.push_back({path, start, end,
                        "with op.get_context().autocommit_block():" +
                            std::string(crlf ? "\r\n" : "\n") + std::string(indent) + body});
  return plan;
}

}  // namespace alembic
