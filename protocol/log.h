// Logging for a language server: spdlog to stderr or a file (stdout carries the
// protocol and must never see a log line), plus the LSP ways of telling the client
// (`window/logMessage`, `window/showMessage`, `$/logTrace`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <spdlog/common.h>

namespace alembic::protocol {

class Endpoint;

/// Where and how much to log.
struct LogOptions {
  std::string level = "info";  ///< trace, debug, info, warn, error or off
  std::string file;            ///< empty: stderr; otherwise appended to this path
  std::string name = "lsp";    ///< logger name shown in each line
};

/// Parses trace/debug/info/warn/error/off (also "warning", any case); nullopt otherwise.
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text);

/// Installs the default spdlog logger. Throws std::invalid_argument for an unknown level
/// and spdlog::spdlog_ex if the file cannot be opened.
void setup_logging(const LogOptions& options);

/// Replaces spdlog's built-in default logger (which writes to stdout) with a stderr one,
/// keeping its level. Called by make_stdio_stream() so that a server that logs before
/// setup_logging() does not corrupt the protocol stream. Leaves custom loggers alone.
void keep_logs_off_stdout();

/// LSP MessageType.
enum class MessageType { Error = 1, Warning = 2, Info = 3, Log = 4 };

/// Sends `window/logMessage` (the client's output panel).
void log_message(Endpoint& endpoint, MessageType type, std::string_view message);

/// Sends `window/showMessage` (a notification popup).
void show_message(Endpoint& endpoint, MessageType type, std::string_view message);

/// Sends `$/logTrace` if the client's trace setting is not off; `verbose` is included
/// only when it is "verbose". Returns whether anything was sent.
bool log_trace(Endpoint& endpoint, std::string_view message, std::string_view verbose = {});

}  // namespace alembic::protocol
