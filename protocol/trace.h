// The LSP trace setting (`initialize.trace`, `$/setTrace`): how much the server reports
// about its own protocol traffic through `$/logTrace`.
#pragma once

#include <optional>
#include <string_view>

namespace alembic::protocol {

/// LSP TraceValue.
enum class TraceValue { Off, Messages, Verbose };

/// "off" / "messages" / "verbose"; nullopt for anything else.
std::optional<TraceValue> parse_trace_value(std::string_view text);

/// The LSP spelling of a trace value.
std::string_view to_string(TraceValue value);

}  // namespace alembic::protocol
