#include "protocol/lsp_fields.h"

namespace alembic::protocol {

namespace {

std::string describe(const std::string& path, const std::string& detail, bool missing) {
  if (missing) return "missing field '" + path + "'";
  if (path.empty()) return detail;
  return "field '" + path + "': " + detail;
}

}  // namespace

FieldError::FieldError(std::string path, std::string detail, bool missing)
    : std::invalid_argument(describe(path, detail, missing)),
      path_(std::move(path)),
      detail_(std::move(detail)),
      missing_(missing) {}

FieldError FieldError::under(std::string_view key) const {
  std::string path(key);
  if (!path_.empty()) path += (path_.front() == '[' ? "" : ".") + path_;
  return FieldError(std::move(path), detail_, missing_);
}

std::string json_error_text(std::string_view what) {
  if (what.rfind("[json.exception.", 0) == 0) {
    if (auto end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return std::string(what);
}

void expect_object(const json& in) {
  if (!in.is_object())
    throw FieldError("", std::string("must be an object, but is ") + in.type_name());
}

void throw_invalid_params(const FieldError& error, std::string_view where) {
  const FieldError e = where.empty() ? error : error.under(where);
  if (e.path().empty()) throw RpcError(ErrorCode::InvalidParams, "params " + e.detail());
  throw RpcError(ErrorCode::InvalidParams, e.what());
}

}  // namespace alembic::protocol
