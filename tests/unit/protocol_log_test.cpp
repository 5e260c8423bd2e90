// Logging setup: levels, file output, and never a byte on stdout.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "protocol/log.h"
#include "protocol/trace.h"

using namespace alembic::protocol;

TEST(Log, ParsesLevels) {
  EXPECT_EQ(parse_log_level("trace"), spdlog::level::trace);
  EXPECT_EQ(parse_log_level("DEBUG"), spdlog::level::debug);
  EXPECT_EQ(parse_log_level("info"), spdlog::level::info);
  EXPECT_EQ(parse_log_level("warn"), spdlog::level::warn);
  EXPECT_EQ(parse_log_level("warning"), spdlog::level::warn);
  EXPECT_EQ(parse_log_level("error"), spdlog::level::err);
  EXPECT_EQ(parse_log_level("off"), spdlog::level::off);
  EXPECT_EQ(parse_log_level("loud"), std::nullopt);
  EXPECT_THROW(setup_logging({"loud", "", "test"}), std::invalid_argument);
}

TEST(Log, WritesToTheFileAndNotToStdout) {
  auto path = std::filesystem::temp_directory_path() /
              ("protocol_log_test_" + std::to_string(::getpid()) + ".log");
  std::filesystem::remove(path);
  testing::internal::CaptureStdout();
  setup_logging({"debug", path.string(), "test"});
  spdlog::debug("debug line {}", 1);
  spdlog::trace("trace line is below the level");
  spdlog::error("error line");
  std::string stdout_text = testing::internal::GetCapturedStdout();
  EXPECT_EQ(stdout_text, "");

  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("debug line 1"), std::string::npos);
  EXPECT_NE(text.str().find("error line"), std::string::npos);
  EXPECT_EQ(text.str().find("trace line"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(Log, KeepLogsOffStdoutReplacesOnlySpdlogsDefault) {
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("", std::make_shared<spdlog::sinks::stdout_sink_mt>()));
  spdlog::set_level(spdlog::level::warn);
  keep_logs_off_stdout();
  testing::internal::CaptureStdout();
  spdlog::warn("to stderr now");
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::warn);

  setup_logging({"info", "", "named"});
  auto named = spdlog::default_logger();
  keep_logs_off_stdout();
  EXPECT_EQ(spdlog::default_logger(), named);
}

TEST(Trace, ParsesValues) {
  EXPECT_EQ(parse_trace_value("off"), TraceValue::Off);
  EXPECT_EQ(parse_trace_value("messages"), TraceValue::Messages);
  EXPECT_EQ(parse_trace_value("verbose"), TraceValue::Verbose);
  EXPECT_EQ(parse_trace_value("all"), std::nullopt);
  EXPECT_EQ(to_string(TraceValue::Messages), "messages");
}
