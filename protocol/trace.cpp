#include "protocol/trace.h"

namespace alembic::protocol {

std::optional<TraceValue> parse_trace_value(std::string_view text) {
  if (text == "off") return TraceValue::Off;
  if (text == "messages") return TraceValue::Messages;
  if (text == "verbose") return TraceValue::Verbose;
  return std::nullopt;
}

std::string_view to_string(TraceValue value) {
  switch (value) {
    case TraceValue::Off:
      return "off";
    case TraceValue::Messages:
      return "messages";
    case TraceValue::Verbose:
      return "verbose";
  }
  return "off";
}

}  // namespace alembic::protocol
