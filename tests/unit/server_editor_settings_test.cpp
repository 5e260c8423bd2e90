// The editor's settings (initializationOptions / didChangeConfiguration) as JSON: every
// key and spelling, values TOML cannot hold, and the server's own keys left alone.
#include <gtest/gtest.h>

#include "server/editor_settings.h"

using alembic::Severity;
using alembic::server::editor_settings;
using json = nlohmann::json;

namespace {

std::string messages(const alembic::Settings& s) {
  std::string all;
  for (const auto& f : s.problems) all += f.message + "\n";
  return all;
}

}  // namespace

TEST(EditorSettings, ReadsEveryKeyInBothSpellings) {
  auto s = editor_settings(json::parse(R"({
    "expectedHeads": {"migrations": 2, "audit": 1},
    "allowMultipleHeads": true,
    "ignore": ["header-mismatch"],
    "severity": {"multiple-heads": "info", "syntax-error": "off"},
    "watchFiles": false
  })"));
  EXPECT_EQ(messages(s), "");
  EXPECT_EQ(s.expected_heads_by_environment.at("migrations"), 2);
  EXPECT_EQ(s.expected_heads_by_environment.at("audit"), 1);
  EXPECT_EQ(s.allow_multiple_heads, true);
  EXPECT_TRUE(s.ignore.count("header-mismatch"));
  EXPECT_EQ(s.severity.at("multiple-heads"), Severity::Information);
  EXPECT_FALSE(s.severity.at("syntax-error").has_value());
  auto dashed = editor_settings(json::parse(R"({"expected-heads": 2.0})"));
  EXPECT_EQ(messages(dashed), "");
  EXPECT_EQ(dashed.expected_heads, 2);
}

TEST(EditorSettings, BadValuesAreProblemsNotExceptions) {
  auto s = editor_settings(json::parse(R"({
    "expected-heads": "two", "ignore": [null], "severity": {"multiple-heads": "loud"},
    "colour": "red", "allow-multiple-heads": 1, "quote\"key": "\u0001"
  })"));
  const std::string all = messages(s);
  EXPECT_NE(all.find("expected-heads must be a number"), std::string::npos) << all;
  EXPECT_NE(all.find("'ignore' holds null"), std::string::npos) << all;
  EXPECT_NE(all.find("severity.multiple-heads must be"), std::string::npos) << all;
  EXPECT_NE(all.find("Unknown key 'colour'"), std::string::npos) << all;
  EXPECT_NE(all.find("allow-multiple-heads must be true or false"), std::string::npos) << all;
  EXPECT_NE(all.find("Unknown key 'quote\"key'"), std::string::npos) << all;
  EXPECT_FALSE(s.expected_heads.has_value());
  EXPECT_FALSE(s.allow_multiple_heads.has_value());
  for (const auto& f : s.problems) EXPECT_EQ(f.code, "config-warning");
}

TEST(EditorSettings, NotAnObject) {
  EXPECT_TRUE(editor_settings(json()).problems.empty());
  auto s = editor_settings(json::array({1, 2}));
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_NE(s.problems[0].message.find("must be an object, not array"), std::string::npos);
}
