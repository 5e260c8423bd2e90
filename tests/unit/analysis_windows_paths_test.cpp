// The file names findings quote, from paths in either system's form, on every system:
// "Revision X is also defined in NAME.py" and the did-you-mean of a down_revision that
// names a file take the name after the last separator, and on Windows a backslash is one.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "analysis/findings.h"
#include "analysis/merge.h"
#include "analysis/windows_names.h"
#include "platform/system.h"

namespace alembic {
namespace {

TEST(FileNameOf, PosixPathsSplitOnSlashOnly) {
  EXPECT_EQ(file_name_of("/srv/app/migrations/versions/1a2b_add.py", false), "1a2b_add.py");
  EXPECT_EQ(file_name_of("1a2b_add.py", false), "1a2b_add.py");
  // On POSIX a backslash is part of a file name.
  EXPECT_EQ(file_name_of("/srv/odd\\name.py", false), "odd\\name.py");
}

TEST(FileNameOf, WindowsPathsSplitOnEitherSeparator) {
  EXPECT_EQ(file_name_of("C:\\Users\\dev\\app\\migrations\\versions\\1a2b_add.py", true),
            "1a2b_add.py");
  EXPECT_EQ(file_name_of("C:/Users/dev/app/versions/1a2b_add.py", true), "1a2b_add.py");
  EXPECT_EQ(file_name_of("Z:\\tmp\\x/versions\\1a2b_add.py", true), "1a2b_add.py");
  EXPECT_EQ(file_name_of("\\\\server\\share\\versions\\3c4d_b.py", true), "3c4d_b.py");
  EXPECT_EQ(file_name_of("C:\\dir\\", true), "");
  EXPECT_EQ(file_name_of("1a2b_add.py", true), "1a2b_add.py");
}

TEST(FileNameOf, DefaultFollowsTheBuild) {
  EXPECT_EQ(file_name_of("a\\b.py"), platform::kWindowsPaths ? "b.py" : "a\\b.py");
  EXPECT_EQ(file_name_of("a/b.py"), "b.py");
}

// file_template output names: what Alembic's defaults render is accepted; what Windows
// refuses is named with the reason.
TEST(WindowsNames, RenderedDefaultsAreAccepted) {
  const auto when = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 20000);
  for (const char* tmpl : {"%%(rev)s_%%(slug)s",
                           "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_"
                           "%%(slug)s",
                           "%%(year)d/%%(month).2d/%%(rev)s_%%(slug)s"}) {
    const std::string name = render_file_name(tmpl, "ae1027a6acf", "merge_heads_", when);
    EXPECT_EQ(windows_name_problem(name), std::nullopt) << name;
  }
}

TEST(WindowsNames, RefusedCharactersDevicesAndEndings) {
  const auto when = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 20000);
  // A time with colons, as a POSIX user may write it.
  const std::string colon =
      render_file_name("%%(hour).2d:%%(minute).2d_%%(rev)s", "ab12", "", when);
  ASSERT_NE(windows_name_problem(colon), std::nullopt);
  EXPECT_NE(windows_name_problem(colon)->find("':'"), std::string::npos)
      << *windows_name_problem(colon);
  for (const char* bad :
       {"a<b.py", "a>b.py", "a\"b.py", "a|b.py", "a?b.py", "a*b.py", "a\tb.py", "sub/x:y/a.py"})
    EXPECT_NE(windows_name_problem(bad), std::nullopt) << bad;
  for (const char* device : {"CON.py", "con.py", "Nul.py", "aux", "PRN.tar.py", "COM1.py",
                             "lpt9.py", "nul .py", "versions\\CON.py"}) {
    auto why = windows_name_problem(device);
    ASSERT_NE(why, std::nullopt) << device;
    EXPECT_NE(why->find("reserved device name"), std::string::npos) << *why;
  }
  EXPECT_NE(windows_name_problem("ends_in_dot."), std::nullopt);
  EXPECT_NE(windows_name_problem("sub /a.py"), std::nullopt);
  // Near misses are fine.
  for (const char* ok : {"console.py", "COM10.py", "COM0.py", "nul_x.py", "a.b.c.py",
                         "sub\\dir/a_b.py", "\u00e9t\u00e9.py"})
    EXPECT_EQ(windows_name_problem(ok), std::nullopt) << ok;
}

}  // namespace
}  // namespace alembic
