#include "protocol/params.h"

#include "protocol/lsp_fields.h"

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
  throw RpcError(ErrorCode::InvalidParams,
                 "field '" + std::string(path) + "': " + json_error_text(detail));
}

}  // namespace alembic::protocol
