// The `lint` and `dialect` settings: read from [tool.alembic-lsp] and from the editor's
// keys, the project's file winning where both set one (analysis/settings.h).
#include <gtest/gtest.h>

#include "analysis/settings.h"

using namespace alembic;

namespace {

TEST(SettingsLint, ReadAndValidated) {
  Settings s = parse_settings("[tool.alembic-lsp]\nlint = \"all\"\n", "pyproject.toml");
  EXPECT_EQ(s.lint, "all");
  EXPECT_TRUE(s.problems.empty());
  s = parse_settings("[tool.alembic-lsp]\nlint = \"sometimes\"\n", "pyproject.toml");
  EXPECT_FALSE(s.lint);
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_NE(s.problems[0].message.find("lint must be \"open\", \"all\" or \"off\""),
            std::string::npos)
      << s.problems[0].message;
  s = parse_settings("[tool.alembic-lsp]\nlnt = \"all\"\n", "pyproject.toml");
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_NE((s.problems[0].message + s.problems[0].detail).find("dialect, lint, head-file)"),
            std::string::npos)
      << s.problems[0].message;
}

TEST(SettingsLint, EditorKeysFillWhatTheProjectLeavesUnset) {
  const Settings editor =
      parse_settings_keys("lint = \"off\"\ndialect = \"postgres\"\n", "the editor");
  EXPECT_TRUE(editor.problems.empty());
  Settings merged = merge_settings(Settings{}, editor);
  EXPECT_EQ(merged.lint, "off");
  EXPECT_EQ(merged.dialect, "postgresql");
  const Settings project =
      parse_settings("[tool.alembic-lsp]\nlint = \"all\"\ndialect = \"sqlite\"\n", "p");
  merged = merge_settings(project, editor);
  EXPECT_EQ(merged.lint, "all");
  EXPECT_EQ(merged.dialect, "sqlite");
}

}  // namespace
