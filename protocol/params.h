// Typed access to request params that fails with InvalidParams naming the field, so a
// client author reads "textDocument.uri: must be string, but is number" instead of a
// bare type error.
#pragma once

#include <string>
#include <string_view>

#include "protocol/jsonrpc.h"

namespace alembic::protocol {

/// The member at a dotted `path` ("textDocument.position"), or nullptr when any step is
/// missing or not an object.
const json* find_param(const json& params, std::string_view path);

/// Throws RpcError(InvalidParams) "missing field '<path>'".
[[noreturn]] void throw_missing_param(std::string_view path);

/// Throws RpcError(InvalidParams) "field '<path>': <detail>".
[[noreturn]] void throw_bad_param(std::string_view path, const char* detail);

/// The member at `path` converted to T; InvalidParams naming the path if it is missing
/// or has the wrong type.
template <typename T>
T param(const json& params, std::string_view path) {
  const json* value = find_param(params, path);
  if (value == nullptr) throw_missing_param(path);
  try {
    return value->get<T>();
  } catch (const json::exception& e) {
    throw_bad_param(path, e.what());
  } catch (const std::invalid_argument& e) {
    throw_bad_param(path, e.what());
  }
}

/// Like param(), but `fallback` when the member is missing or null.
template <typename T>
T param_or(const json& params, std::string_view path, T fallback) {
  const json* value = find_param(params, path);
  if (value == nullptr || value->is_null()) return fallback;
  return param<T>(params, path);
}

}  // namespace alembic::protocol
