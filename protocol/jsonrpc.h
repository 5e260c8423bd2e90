// JSON-RPC 2.0 as LSP uses it: classifying an incoming body, ids, error codes, and
// building outgoing messages. Pure functions over nlohmann::json; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace alembic::protocol {

using json = nlohmann::json;

/// Error codes from JSON-RPC 2.0 and LSP 3.17.
enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  UnknownErrorCode = -32001,
  RequestFailed = -32803,
  ServerCancelled = -32802,
  ContentModified = -32801,
  RequestCancelled = -32800,
};

/// An error reply. Handlers throw it; outgoing-request callbacks receive it.
struct RpcError : std::runtime_error {
  int code;
  json data;  ///< optional extra detail; null means absent

  RpcError(ErrorCode code, const std::string& message, json data = nullptr)
      : RpcError(static_cast<int>(code), message, std::move(data)) {}
  RpcError(int code, const std::string& message, json data = nullptr)
      : std::runtime_error(message), code(code), data(std::move(data)) {}

  std::string message() const { return what(); }
};

/// A request id: LSP allows integers and strings, and a reply must echo the same type.
using RequestId = std::variant<std::int64_t, std::string>;

/// The id as JSON (a number or a string, exactly as received).
json to_json(const RequestId& id);

/// Reads an id; nullopt for null, floats, booleans, objects and arrays (invalid in LSP).
std::optional<RequestId> parse_request_id(const json& value);

/// The id for logs: 7 or "abc".
std::string to_string(const RequestId& id);

/// A call that expects a reply.
struct Request {
  RequestId id;
  std::string method;
  json params;  ///< null when absent
};

/// A call without a reply.
struct Notification {
  std::string method;
  json params;  ///< null when absent
};

/// A reply to a request we sent. Exactly one of result / error is set.
struct Response {
  std::optional<RequestId> id;  ///< nullopt when the peer replied with id null
  json result;
  std::optional<RpcError> error;
};

/// A body that is not a valid message. `reply` says whether JSON-RPC wants an error
/// response for it (yes for broken requests, no for broken responses / notifications).
struct InvalidMessage {
  std::optional<RequestId> id;  ///< echoed in the error reply; nullopt means id null
  RpcError error;
  bool reply = true;
  std::string method;  ///< when one could be read, for logs
};

using Message = std::variant<Request, Notification, Response, InvalidMessage>;

/// Parses and classifies one message body. Never throws.
Message parse_message(std::string_view body);

/// What could be read from the start of a body too large to parse.
struct MessagePeek {
  bool has_id = false;          ///< a top-level "id" member was seen
  std::optional<RequestId> id;  ///< its value, when it is a valid id
  std::string method;           ///< the top-level "method", when seen
};

/// Scans the beginning of a (possibly cut off) JSON object for its top-level "id" and
/// "method" members. Used to answer an oversized request with the right id.
MessagePeek peek_message(std::string_view prefix);

/// Builders for outgoing messages (each includes "jsonrpc": "2.0").
json make_request(const RequestId& id, std::string_view method, json params);
json make_notification(std::string_view method, json params);
json make_result_response(const RequestId& id, json result);
/// `id` nullopt writes `"id": null`, as JSON-RPC requires when the id is unknown.
json make_error_response(const std::optional<RequestId>& id, const RpcError& error);

/// Serialises for the wire. Invalid UTF-8 in strings is replaced rather than throwing:
/// a reply must always go out.
std::string dump_message(const json& message);

}  // namespace alembic::protocol
