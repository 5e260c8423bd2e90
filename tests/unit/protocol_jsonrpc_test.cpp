// JSON-RPC 2.0 classification, ids, error shapes and the oversized-body peek.
#include <gtest/gtest.h>

#include "protocol/jsonrpc.h"

using namespace alembic::protocol;

namespace {

// Returns a copy: callers pass temporaries.
template <typename T>
T as(const Message& message) {
  if (!std::holds_alternative<T>(message)) {
    ADD_FAILURE() << "unexpected message kind, variant index " << message.index();
    if constexpr (std::is_same_v<T, InvalidMessage>) {
      return InvalidMessage{std::nullopt, RpcError(0, "wrong kind"), false, ""};
    } else {
      return T{};
    }
  }
  return std::get<T>(message);
}

}  // namespace

TEST(JsonRpc, ClassifiesRequest) {
  auto m =
      parse_message(R"({"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{"a":1}})");
  const auto r = as<Request>(m);
  EXPECT_EQ(r.id, RequestId(std::int64_t{1}));
  EXPECT_EQ(r.method, "textDocument/hover");
  EXPECT_EQ(r.params, json({{"a", 1}}));
}

TEST(JsonRpc, ClassifiesNotificationWithoutParams) {
  auto m = parse_message(R"({"jsonrpc":"2.0","method":"initialized"})");
  const auto n = as<Notification>(m);
  EXPECT_EQ(n.method, "initialized");
  EXPECT_TRUE(n.params.is_null());
}

TEST(JsonRpc, ClassifiesResultAndErrorResponses) {
  auto ok = parse_message(R"({"jsonrpc":"2.0","id":"s1","result":null})");
  const auto r = as<Response>(ok);
  EXPECT_EQ(r.id, RequestId(std::string("s1")));
  EXPECT_FALSE(r.error);
  EXPECT_TRUE(r.result.is_null());

  auto failed = parse_message(
      R"({"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"nope","data":[1]}})");
  const auto e = as<Response>(failed);
  ASSERT_TRUE(e.error);
  EXPECT_EQ(e.error->code, -32601);
  EXPECT_STREQ(e.error->what(), "nope");
  EXPECT_EQ(e.error->data, json::array({1}));

  auto null_id =
      parse_message(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}})");
  EXPECT_FALSE(as<Response>(null_id).id);
}

TEST(JsonRpc, AcceptsIntegerAndStringIdsOfAnyValue) {
  for (const char* id : {"0", "-5", "2147483648", "9223372036854775807", R"("")", R"("abc")"}) {
    SCOPED_TRACE(id);
    auto m = parse_message(std::string(R"({"jsonrpc":"2.0","method":"m","id":)") + id + "}");
    const auto r = as<Request>(m);
    EXPECT_EQ(to_json(r.id), json::parse(id));  // same value and same type
  }
}

TEST(JsonRpc, RejectsOtherIdTypesWithNullId) {
  for (const char* id : {"null", "1.5", "1.0", "true", "{}", "[]", "18446744073709551615"}) {
    SCOPED_TRACE(id);
    auto m = parse_message(std::string(R"({"jsonrpc":"2.0","method":"m","id":)") + id + "}");
    const auto bad = as<InvalidMessage>(m);
    EXPECT_EQ(bad.error.code, static_cast<int>(ErrorCode::InvalidRequest));
    EXPECT_FALSE(bad.id);
    EXPECT_TRUE(bad.reply);
    EXPECT_EQ(bad.method, "m");
  }
}

TEST(JsonRpc, NonJsonIsAParseError) {
  for (const char* body : {"", "{", "not json", "{\"a\":}", "\xff"}) {
    const auto bad = as<InvalidMessage>(parse_message(body));
    EXPECT_EQ(bad.error.code, -32700);
    EXPECT_FALSE(bad.id);
    EXPECT_TRUE(bad.reply);
  }
}

TEST(JsonRpc, NonObjectIsAnInvalidRequest) {
  for (const char* body : {"1", "\"text\"", "null", "true"}) {
    const auto bad = as<InvalidMessage>(parse_message(body));
    EXPECT_EQ(bad.error.code, -32600);
    EXPECT_FALSE(bad.id);
  }
}

TEST(JsonRpc, BatchIsRejectedAndSaysWhy) {
  for (const char* body : {"[]", R"([{"jsonrpc":"2.0","id":1,"method":"m"}])"}) {
    const auto bad = as<InvalidMessage>(parse_message(body));
    EXPECT_EQ(bad.error.code, -32600);
    EXPECT_NE(std::string(bad.error.what()).find("batch"), std::string::npos);
  }
}

TEST(JsonRpc, MalformedCallsKeepTheirIdWhenValid) {
  const auto bad_method =
      as<InvalidMessage>(parse_message(R"({"jsonrpc":"2.0","id":3,"method":7})"));
  EXPECT_EQ(bad_method.id, RequestId(std::int64_t{3}));
  EXPECT_EQ(bad_method.error.code, -32600);

  const auto bad_params =
      as<InvalidMessage>(parse_message(R"({"jsonrpc":"2.0","id":"x","method":"m","params":5})"));
  EXPECT_EQ(bad_params.id, RequestId(std::string("x")));

  const auto bad_version =
      as<InvalidMessage>(parse_message(R"({"jsonrpc":"1.0","id":2,"method":"m"})"));
  EXPECT_EQ(bad_version.id, RequestId(std::int64_t{2}));

  const auto nothing = as<InvalidMessage>(parse_message(R"({"jsonrpc":"2.0","id":9})"));
  EXPECT_EQ(nothing.id, RequestId(std::int64_t{9}));
  EXPECT_TRUE(nothing.reply);
}

TEST(JsonRpc, MissingVersionIsTolerated) {
  as<Request>(parse_message(R"({"id":1,"method":"m"})"));
}

TEST(JsonRpc, MalformedNotificationsAndResponsesGetNoReply) {
  EXPECT_FALSE(as<InvalidMessage>(parse_message(R"({"jsonrpc":"2.0","method":1})")).reply);
  EXPECT_FALSE(
      as<InvalidMessage>(parse_message(R"({"jsonrpc":"2.0","method":"m","params":"x"})")).reply);
  EXPECT_FALSE(
      as<InvalidMessage>(parse_message(R"({"jsonrpc":"2.0","id":1,"result":1,"error":{}})")).reply);
  EXPECT_FALSE(as<InvalidMessage>(parse_message(R"({"jsonrpc":"2.0","id":1,"error":"x"})")).reply);
  EXPECT_FALSE(as<InvalidMessage>(parse_message(R"({"jsonrpc":"2.0","id":1.5,"result":1})")).reply);
}

TEST(JsonRpc, BuildsMessages) {
  EXPECT_EQ(make_request(RequestId(std::int64_t{1}), "m", {{"a", 1}}),
            json::parse(R"({"jsonrpc":"2.0","id":1,"method":"m","params":{"a":1}})"));
  EXPECT_EQ(make_notification("n", nullptr), json::parse(R"({"jsonrpc":"2.0","method":"n"})"));
  EXPECT_EQ(make_result_response(RequestId(std::string("7")), nullptr),
            json::parse(R"({"jsonrpc":"2.0","id":"7","result":null})"));
  EXPECT_EQ(make_error_response(std::nullopt, RpcError(ErrorCode::ParseError, "bad")),
            json::parse(R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}})"));
  EXPECT_EQ(make_error_response(RequestId(std::int64_t{2}), RpcError(-1, "x", {{"k", true}})),
            json::parse(
                R"({"jsonrpc":"2.0","id":2,"error":{"code":-1,"message":"x","data":{"k":true}}})"));
}

TEST(JsonRpc, ErrorCodesMatchTheSpecification) {
  EXPECT_EQ(static_cast<int>(ErrorCode::ParseError), -32700);
  EXPECT_EQ(static_cast<int>(ErrorCode::InvalidRequest), -32600);
  EXPECT_EQ(static_cast<int>(ErrorCode::MethodNotFound), -32601);
  EXPECT_EQ(static_cast<int>(ErrorCode::InvalidParams), -32602);
  EXPECT_EQ(static_cast<int>(ErrorCode::InternalError), -32603);
  EXPECT_EQ(static_cast<int>(ErrorCode::ServerNotInitialized), -32002);
  EXPECT_EQ(static_cast<int>(ErrorCode::RequestCancelled), -32800);
  EXPECT_EQ(static_cast<int>(ErrorCode::ContentModified), -32801);
}

TEST(JsonRpc, DumpNeverThrowsOnInvalidUtf8) {
  json message = make_notification("m", {{"text", std::string("a\xff")}});
  std::string out;
  EXPECT_NO_THROW(out = dump_message(message));
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD replacement
}

TEST(JsonRpc, PeekFindsTopLevelIdAndMethodInACutOffBody) {
  auto peek = peek_message(
      R"({"jsonrpc":"2.0","id":42,"method":"textDocument/didOpen","params":{"text":"abc)");
  EXPECT_TRUE(peek.has_id);
  EXPECT_EQ(peek.id, RequestId(std::int64_t{42}));
  EXPECT_EQ(peek.method, "textDocument/didOpen");

  auto string_id = peek_message(R"( { "method" : "m", "id" : "q\"1" , "params": [)");
  EXPECT_EQ(string_id.id, RequestId(std::string("q\"1")));
}

TEST(JsonRpc, PeekIgnoresNestedIdsAndCutValues) {
  auto nested = peek_message(R"({"method":"m","params":{"id":5,"x":"}"},"more":[{"id":6}]})");
  EXPECT_FALSE(nested.has_id);
  EXPECT_EQ(nested.method, "m");

  auto cut = peek_message(R"({"method":"m","id":12)");  // the digits may continue
  EXPECT_FALSE(cut.has_id);

  EXPECT_FALSE(peek_message("not json").has_id);
  EXPECT_FALSE(peek_message(R"({"params":{"id":1)").has_id);
}
