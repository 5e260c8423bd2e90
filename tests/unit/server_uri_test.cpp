// URIs and paths in both forms, on every system: what VS Code, Neovim and Emacs send on
// Windows (drive letters with an encoded or a plain colon, UNC hosts) and on POSIX.
#include <gtest/gtest.h>

#include "server/uri.h"

namespace alembic::server {
namespace {

TEST(UriPosix, DecodesAndEncodes) {
  EXPECT_EQ(uri_to_path("file:///a%20b/c.py", PathStyle::Posix), "/a b/c.py");
  EXPECT_EQ(uri_to_path("file://localhost/x/y.py", PathStyle::Posix), "/x/y.py");
  EXPECT_EQ(uri_to_path("FILE:///x?query#frag", PathStyle::Posix), "/x");
  EXPECT_EQ(uri_to_path("file://server/share/x.py", PathStyle::Posix), std::nullopt);
  EXPECT_EQ(uri_to_path("file:///a%2", PathStyle::Posix), std::nullopt);
  EXPECT_EQ(uri_to_path("file:///a%00b", PathStyle::Posix), std::nullopt);
  EXPECT_EQ(uri_to_path("untitled:Untitled-1", PathStyle::Posix), std::nullopt);
  EXPECT_EQ(path_to_uri("/a b/c:d.py", PathStyle::Posix), "file:///a%20b/c%3Ad.py");
  EXPECT_EQ(path_key("/A/b.py", PathStyle::Posix), "/A/b.py");
}

TEST(UriWindows, DriveLettersAsVsCodeAndNeovimWriteThem) {
  // VS Code: lower-case drive, colon encoded; Neovim / Emacs: "C:" as is.
  EXPECT_EQ(uri_to_path("file:///c%3A/Users/dev/app/alembic/versions/1_a.py", PathStyle::Windows),
            "C:\\Users\\dev\\app\\alembic\\versions\\1_a.py");
  EXPECT_EQ(uri_to_path("file:///C:/Users/dev/My%20App/env.py", PathStyle::Windows),
            "C:\\Users\\dev\\My App\\env.py");
  EXPECT_EQ(uri_to_path("file:///d%3a", PathStyle::Windows), "D:\\");
  EXPECT_EQ(path_to_uri("C:\\Users\\dev\\My App\\env.py", PathStyle::Windows),
            "file:///c%3A/Users/dev/My%20App/env.py");
  EXPECT_EQ(path_to_uri("C:/Users/dev/a.py", PathStyle::Windows), "file:///c%3A/Users/dev/a.py");
  EXPECT_EQ(path_to_uri("\\\\?\\C:\\long\\a.py", PathStyle::Windows), "file:///c%3A/long/a.py");
}

TEST(UriWindows, RoundTripsThroughVsCodeForm) {
  for (const char* uri : {"file:///c%3A/a/b%20c/d.py", "file://server/share/app/e.py",
                          "file:///z%3A/%C3%A9t%C3%A9/f.py"}) {
    auto path = uri_to_path(uri, PathStyle::Windows);
    ASSERT_TRUE(path) << uri;
    EXPECT_EQ(path_to_uri(*path, PathStyle::Windows), uri);
  }
}

TEST(UriWindows, UncPaths) {
  EXPECT_EQ(uri_to_path("file://server/share/app/alembic.ini", PathStyle::Windows),
            "\\\\server\\share\\app\\alembic.ini");
  EXPECT_EQ(path_to_uri("\\\\server\\share\\app\\alembic.ini", PathStyle::Windows),
            "file://server/share/app/alembic.ini");
  EXPECT_EQ(path_to_uri("\\\\?\\UNC\\server\\share\\x.py", PathStyle::Windows),
            "file://server/share/x.py");
  EXPECT_EQ(uri_to_path("file://server", PathStyle::Windows), std::nullopt);
}

TEST(UriWindows, PathKeysIgnoreCaseAndSeparator) {
  EXPECT_EQ(path_key("C:\\Users\\Dev\\App\\Alembic.ini", PathStyle::Windows),
            path_key("c:/users/dev/app/alembic.ini", PathStyle::Windows));
  EXPECT_NE(path_key("C:\\a\\b.py", PathStyle::Windows),
            path_key("C:\\a\\c.py", PathStyle::Windows));
}

}  // namespace
}  // namespace alembic::server
