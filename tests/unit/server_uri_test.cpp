// URIs and paths in both forms, on every system: what VS Code, Neovim and Emacs send on
// Windows (drive letters with an encoded or a plain colon, UNC hosts) and on POSIX.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

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

// A stand-in for a Windows volume: the entries as created, found without case (what
// FindFirstFileW does on NTFS; platform::name_on_disk is that call).
struct FakeVolume {
  std::set<std::string> entries;
  std::vector<std::string> asked = {};
  NameOnDisk lookup() {
    return [this](const std::string& path) -> std::optional<std::string> {
      asked.push_back(path);
      for (const std::string& e : entries)
        if (path_key(e, PathStyle::Windows) == path_key(path, PathStyle::Windows))
          return e.substr(e.find_last_of('\\') + 1);
      return std::nullopt;
    };
  }
};

TEST(UriWindows, EverySpellingOfAFileGivesTheStoredOne) {
  FakeVolume disk{{"C:\\Proj", "C:\\Proj\\migrations", "C:\\Proj\\migrations\\versions",
                   "C:\\Proj\\migrations\\versions\\a1_Add_Users.py"}};
  const std::string stored = "C:\\Proj\\migrations\\versions\\a1_Add_Users.py";
  for (const char* spelling : {"C:\\Proj\\migrations\\versions\\a1_Add_Users.py",
                               "c:\\proj\\Migrations\\versions\\A1_add_users.PY",
                               "C:/PROJ/migrations/VERSIONS/a1_add_users.py",
                               "c:\\Proj/migrations\\versions/a1_Add_Users.py"})
    EXPECT_EQ(spelled_as_on_disk(spelling, disk.lookup()), stored) << spelling;
  // What VS Code sends for it, through uri_to_path.
  auto from_uri =
      uri_to_path("file:///c%3A/proj/Migrations/versions/A1_ADD_USERS.py", PathStyle::Windows);
  ASSERT_TRUE(from_uri);
  EXPECT_EQ(spelled_as_on_disk(*from_uri, disk.lookup()), stored);
}

TEST(UriWindows, PartsNotOnDiskKeepTheirSpelling) {
  FakeVolume disk{{"C:\\Proj", "C:\\Proj\\migrations"}};
  // A new file (an unsaved document) and a directory that does not exist yet: the part
  // that exists is the stored one, the rest as written, nothing below it is looked up.
  EXPECT_EQ(spelled_as_on_disk("c:\\PROJ\\Migrations\\New\\B2.py", disk.lookup()),
            "C:\\Proj\\migrations\\New\\B2.py");
  EXPECT_EQ(disk.asked.back(), "C:\\Proj\\migrations\\New");
  EXPECT_EQ(spelled_as_on_disk("d:\\", disk.lookup()), "D:\\");
  // A different name is not taken for this one (a short 8.3 name's long form, say).
  NameOnDisk long_form = [](const std::string&) {
    return std::optional<std::string>("Program Files");
  };
  EXPECT_EQ(spelled_as_on_disk("C:\\PROGRA~1\\x.py", long_form), "C:\\PROGRA~1\\x.py");
}

TEST(UriWindows, UncAndLongFormRootsAreKept) {
  FakeVolume disk{{"\\\\Server\\Share\\App", "\\\\Server\\Share\\App\\alembic.ini",
                   "\\\\?\\C:\\Long", "\\\\?\\C:\\Long\\env.py"}};
  EXPECT_EQ(spelled_as_on_disk("\\\\Server\\Share\\app\\ALEMBIC.INI", disk.lookup()),
            "\\\\Server\\Share\\App\\alembic.ini");
  EXPECT_EQ(disk.asked.front(), "\\\\Server\\Share\\app");  // the root is not looked up
  EXPECT_EQ(spelled_as_on_disk("\\\\?\\c:\\LONG\\Env.py", disk.lookup()),
            "\\\\?\\C:\\Long\\env.py");
  EXPECT_EQ(spelled_as_on_disk("//Server/Share/App/", disk.lookup()), "\\\\Server\\Share\\App\\");
}

}  // namespace
}  // namespace alembic::server
