#include "protocol/jsonrpc.h"

#include <limits>

namespace alembic::protocol {
namespace {

InvalidMessage invalid(std::optional<RequestId> id, ErrorCode code, std::string message,
                       bool reply = true, std::string method = {}) {
  return InvalidMessage{std::move(id), RpcError(code, message), reply, std::move(method)};
}

// params may be omitted; when present JSON-RPC allows only a structured value.
bool valid_params(const json& message) {
  auto it = message.find("params");
  return it == message.end() || it->is_object() || it->is_array();
}

json params_of(const json& message) {
  auto it = message.find("params");
  return it == message.end() ? json() : *it;
}

Message classify_call(const json& message, std::optional<RequestId> id, bool has_id) {
  const json& method_value = message.at("method");
  if (!method_value.is_string()) {
    return invalid(has_id ? id : std::nullopt, ErrorCode::InvalidRequest,
                   "\"method\" must be a string", has_id);
  }
  std::string method = method_value.get<std::string>();
  if (has_id && !id) {
    return invalid(std::nullopt, ErrorCode::InvalidRequest,
                   "request id must be an integer or a string (got " +
                       std::string(message.at("id").type_name()) + ")",
                   true, method);
  }
  if (!valid_params(message)) {
    return invalid(id, ErrorCode::InvalidRequest,
                   "\"params\" must be an object or an array when present", has_id, method);
  }
  if (has_id) return Request{std::move(*id), std::move(method), params_of(message)};
  return Notification{std::move(method), params_of(message)};
}

Message classify_response(const json& message) {
  const json& id_value = message.at("id");
  std::optional<RequestId> id = parse_request_id(id_value);
  if (!id && !id_value.is_null()) {
    return invalid(std::nullopt, ErrorCode::InvalidRequest, "response id has an invalid type",
                   false);
  }
  bool has_result = message.contains("result");
  bool has_error = message.contains("error");
  if (has_result == has_error) {
    return invalid(id, ErrorCode::InvalidRequest,
                   "a response needs exactly one of \"result\" and \"error\"", false);
  }
  Response response{std::move(id), nullptr, std::nullopt};
  if (has_result) {
    response.result = message.at("result");
    return response;
  }
  const json& error = message.at("error");
  if (!error.is_object() || !error.contains("code") || !error.at("code").is_number_integer()) {
    return invalid(response.id, ErrorCode::InvalidRequest,
                   "response \"error\" must be an object with an integer \"code\"", false);
  }
  std::string text;
  if (auto m = error.find("message"); m != error.end() && m->is_string())
    text = m->get<std::string>();
  json data = error.contains("data") ? error.at("data") : json();
  response.error.emplace(error.at("code").get<int>(), text, std::move(data));
  return response;
}

}  // namespace

json to_json(const RequestId& id) {
  return std::visit([](const auto& value) { return json(value); }, id);
}

std::optional<RequestId> parse_request_id(const json& value) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<std::int64_t>();
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(u);
    }
    return std::nullopt;
  }
  if (value.is_string()) return value.get<std::string>();
  return std::nullopt;
}

std::string to_string(const RequestId& id) {
  return to_json(id).dump();
}

Message parse_message(std::string_view body) {
  json message;
  try {
    message = json::parse(body);
  } catch (const json::exception& e) {
    // parse_error names the byte offset and what it expected there; out_of_range comes
    // from numbers no double holds (1e400). Either way the body is not usable JSON.
    return invalid(std::nullopt, ErrorCode::ParseError, std::string("Parse error: ") + e.what());
  }
  if (message.is_array()) {
    return invalid(std::nullopt, ErrorCode::InvalidRequest,
                   "JSON-RPC batches are not supported: the Language Server Protocol never "
                   "sends them; send each message in its own frame");
  }
  if (!message.is_object()) {
    return invalid(std::nullopt, ErrorCode::InvalidRequest,
                   std::string("a message must be a JSON object, not ") + message.type_name());
  }

  bool has_id = message.contains("id");
  std::optional<RequestId> id = has_id ? parse_request_id(message.at("id")) : std::nullopt;

  if (auto version = message.find("jsonrpc"); version != message.end() && *version != "2.0") {
    return invalid(id, ErrorCode::InvalidRequest, "\"jsonrpc\" must be \"2.0\"",
                   !message.contains("result") && !message.contains("error"));
  }
  if (message.contains("method")) return classify_call(message, std::move(id), has_id);
  if (has_id && (message.contains("result") || message.contains("error"))) {
    return classify_response(message);
  }
  return invalid(id, ErrorCode::InvalidRequest,
                 "message is neither a request, a notification nor a response (no \"method\")");
}

json make_request(const RequestId& id, std::string_view method, json params) {
  json message = {{"jsonrpc", "2.0"}, {"id", to_json(id)}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  return message;
}

json make_notification(std::string_view method, json params) {
  json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  return message;
}

json make_result_response(const RequestId& id, json result) {
  // "result" is required on success, even when it is null (e.g. shutdown).
  return {{"jsonrpc", "2.0"}, {"id", to_json(id)}, {"result", std::move(result)}};
}

json make_error_response(const std::optional<RequestId>& id, const RpcError& error) {
  json body = {{"code", error.code}, {"message", error.what()}};
  if (!error.data.is_null()) body["data"] = error.data;
  return {{"jsonrpc", "2.0"}, {"id", id ? to_json(*id) : json()}, {"error", std::move(body)}};
}

std::string dump_message(const json& message) {
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace alembic::protocol
