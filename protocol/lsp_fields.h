// Reading and writing the fields of LSP values: the one place where JSON member names
// meet C++ members. Every struct of lsp_*.h reads itself with read_field / read_optional,
// so a missing or wrongly typed member becomes a FieldError naming its path from the top
// of the params ("textDocument.uri", "contentChanges[1].range"), which the endpoint
// answers with InvalidParams.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "protocol/jsonrpc.h"

namespace alembic::protocol {

/// A member of an incoming value that is missing or has the wrong type.
class FieldError : public std::invalid_argument {
 public:
  FieldError(std::string path, std::string detail, bool missing = false);
  /// Dotted path from the top of the params; empty for the value itself.
  const std::string& path() const { return path_; }
  const std::string& detail() const { return detail_; }
  bool missing() const { return missing_; }
  /// The same error seen from one level up: `key` ("textDocument", "[2]") before the path.
  FieldError under(std::string_view key) const;

 private:
  std::string path_;
  std::string detail_;
  bool missing_;
};

/// nlohmann's message without its "[json.exception.type_error.302] " tag.
std::string json_error_text(std::string_view what);

/// Throws FieldError("must be an object, but is ...") unless `in` is an object.
void expect_object(const json& in);

namespace detail {
template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};
}  // namespace detail

/// `in` converted to T; errors as FieldError with the path below `in`.
template <typename T>
void read_value(const json& in, T& out) {
  if constexpr (std::is_same_v<T, json>) {
    out = in;
  } else if constexpr (detail::is_vector<T>::value) {
    if (!in.is_array())
      throw FieldError("", std::string("must be an array, but is ") + in.type_name());
    out.clear();
    out.resize(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
      try {
        read_value(in[i], out[i]);
      } catch (const FieldError& e) {
        throw e.under("[" + std::to_string(i) + "]");
      }
    }
  } else {
    try {
      in.get_to(out);
    } catch (const FieldError&) {
      throw;
    } catch (const json::exception& e) {
      throw FieldError("", json_error_text(e.what()));
    } catch (const std::invalid_argument& e) {
      throw FieldError("", e.what());
    }
  }
}

/// The required member `key` of the object `in`.
template <typename T>
void read_field(const json& in, std::string_view key, T& out) {
  expect_object(in);
  auto it = in.find(key);
  if (it == in.end()) throw FieldError(std::string(key), "missing", true);
  try {
    read_value(*it, out);
  } catch (const FieldError& e) {
    throw e.under(key);
  }
}

/// An optional member: missing or null leaves `out` as it is (its default).
template <typename T>
void read_optional(const json& in, std::string_view key, T& out) {
  expect_object(in);
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return;
  try {
    read_value(*it, out);
  } catch (const FieldError& e) {
    throw e.under(key);
  }
}

template <typename T>
void read_optional(const json& in, std::string_view key, std::optional<T>& out) {
  expect_object(in);
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) {
    out.reset();
    return;
  }
  T value{};
  try {
    read_value(*it, value);
  } catch (const FieldError& e) {
    throw e.under(key);
  }
  out = std::move(value);
}

/// A member read only when it has the expected type: anything else counts as absent.
/// For values clients fill in their own ways (initialize's optional members).
template <typename T>
void read_lenient(const json& in, std::string_view key, std::optional<T>& out) {
  out.reset();
  if (!in.is_object()) return;
  auto it = in.find(key);
  if (it == in.end() || it->is_null()) return;
  try {
    T value{};
    read_value(*it, value);
    out = std::move(value);
  } catch (const std::invalid_argument&) {
  }
}

/// `in` as T, or nullopt when it is not one (a reply from the client, say).
template <typename T>
std::optional<T> try_read(const json& in) {
  try {
    T value{};
    read_value(in, value);
    return value;
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

/// `in` as T; RpcError(InvalidParams) naming the member, below `where` ("params", "item.data",
/// "arguments[0]"), that is missing or wrong.
[[noreturn]] void throw_invalid_params(const FieldError& error, std::string_view where);

template <typename T>
T read_as(const json& in, std::string_view where) {
  T value{};
  try {
    read_value(in, value);
  } catch (const FieldError& e) {
    throw_invalid_params(e, where);
  }
  return value;
}

/// A request's or notification's params as T (see read_as).
template <typename T>
T read_params(const json& params) {
  return read_as<T>(params, "");
}

/// Writes `value` as member `key` when it holds one.
template <typename T>
void write_optional(json& out, const char* key, const std::optional<T>& value) {
  if (value) out[key] = *value;
}

/// A result as JSON: an empty optional is null (LSP's "no answer").
template <typename T>
json to_result(const T& value) {
  return json(value);
}
template <typename T>
json to_result(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

/// A union of LSP types (CodeAction | Command, TextDocumentEdit | CreateFile | ...) is
/// written as the alternative it holds.
template <typename... Ts>
void to_json(json& out, const std::variant<Ts...>& value) {
  std::visit([&out](const auto& v) { out = v; }, value);
}

}  // namespace alembic::protocol
