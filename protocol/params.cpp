#include "protocol/params.h"

namespace alembic::protocol {

const json* find_param(const json& params, std::string_view path) {
  const json* node = &params;
  while (!path.empty()) {
    auto dot = path.find('.');
    std::string_view key = path.substr(0, dot);
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return node;
}

void throw_missing_param(std::string_view path) {
  throw RpcError(ErrorCode::InvalidParams, "missing field '" + std::string(path) + "'");
}

void throw_bad_param(std::string_view path, const char* detail) {
  std::string_view text = detail;
  // Drop nlohmann's "[json.exception.type_error.302] " tag: it means nothing to a client.
  if (text.rfind("[json.exception.", 0) == 0) {
    if (auto end = text.find("] "); end != std::string_view::npos) text.remove_prefix(end + 2);
  }
  throw RpcError(ErrorCode::InvalidParams, "field '" + std::string(path) + "': " + std::string(text));
}

}  // namespace alembic::protocol
