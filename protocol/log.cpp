#include "protocol/log.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "platform/path_text.h"
#include "protocol/endpoint.h"

namespace alembic::protocol {
namespace {

constexpr const char* kPattern = "[%Y-%m-%d %H:%M:%S.%e] [%l] [%t] %v";

std::shared_ptr<spdlog::logger> stderr_logger(const std::string& name) {
  auto logger =
      std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern(kPattern);
  return logger;
}

// Appends to a log file named by UTF-8 text on every system. spdlog's file sink opens a
// narrow name in the ANSI code page on Windows, so a log under "C:\Users\Jürgen" went astray.
class AppendFileSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit AppendFileSink(const std::string& file) {
    const std::filesystem::path path = platform::utf8_path(file);
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    errno = 0;
    out_.open(path, std::ios::binary | std::ios::app);
    if (!out_) throw std::runtime_error(errno ? std::strerror(errno) : "cannot open it");
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    out_.write(line.data(), static_cast<std::streamsize>(line.size()));
  }
  void flush_() override { out_.flush(); }

 private:
  std::ofstream out_;
};

}  // namespace

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "trace") return spdlog::level::trace;
  if (lower == "debug") return spdlog::level::debug;
  if (lower == "info") return spdlog::level::info;
  if (lower == "warn" || lower == "warning") return spdlog::level::warn;
  if (lower == "error") return spdlog::level::err;
  if (lower == "off") return spdlog::level::off;
  return std::nullopt;
}

void setup_logging(const LogOptions& options) {
  auto level = parse_log_level(options.level);
  if (!level) {
    throw std::invalid_argument("unknown log level '" + options.level +
                                "' (expected trace, debug, info, warn, error or off)");
  }
  std::shared_ptr<spdlog::logger> logger;
  if (options.file.empty()) {
    logger = stderr_logger(options.name);
  } else {
    logger = std::make_shared<spdlog::logger>(options.name,
                                              std::make_shared<AppendFileSink>(options.file));
    logger->set_pattern(kPattern);
    // Servers get killed by editors; a log that stops before the interesting part is
    // worse than the cost of flushing each line.
    logger->flush_on(spdlog::level::trace);
  }
  logger->set_level(*level);
  spdlog::set_default_logger(std::move(logger));
}

void keep_logs_off_stdout() {
  auto current = spdlog::default_logger();
  // spdlog's own default logger is the unnamed one; a named logger was set up on purpose.
  if (current && !current->name().empty()) return;
  auto logger = stderr_logger("");
  if (current) logger->set_level(current->level());
  spdlog::set_default_logger(std::move(logger));
}

void log_message(Endpoint& endpoint, MessageType type, std::string_view message) {
  endpoint.send_notification("window/logMessage",
                             {{"type", static_cast<int>(type)}, {"message", message}});
}

void show_message(Endpoint& endpoint, MessageType type, std::string_view message) {
  endpoint.send_notification("window/showMessage",
                             {{"type", static_cast<int>(type)}, {"message", message}});
}

bool log_trace(Endpoint& endpoint, std::string_view message, std::string_view verbose) {
  TraceValue trace = endpoint.trace();
  if (trace == TraceValue::Off) return false;
  json params = {{"message", message}};
  if (trace == TraceValue::Verbose && !verbose.empty()) params["verbose"] = verbose;
  endpoint.send_notification("$/logTrace", std::move(params));
  return true;
}

}  // namespace alembic::protocol
