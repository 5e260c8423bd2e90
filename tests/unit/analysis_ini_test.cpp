// IniFile must read alembic.ini exactly as Python's configparser.ConfigParser does.
// The differential tests at the end run the system Python on the same texts, and
// Debian's Alembic 1.8.1 on whole alembic.ini setups (compared with discovery).
#include "analysis/ini.h"

#include "analysis/discovery.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace alembic {
namespace {
namespace fs = std::filesystem;

std::string value_of(const IniFile& f, const std::string& section, const std::string& key) {
  IniLookup got = f.get(section, key);
  EXPECT_TRUE(got.found) << section << "." << key;
  EXPECT_FALSE(got.error) << (got.error ? got.error->message : "");
  return got.value;
}

TEST(IniFile, KeyValueWithBothDelimitersAndCaseInsensitiveKeys) {
  IniFile f = IniFile::parse("[alembic]\nscript_location = migrations\nFile_Template: %%(rev)s\n");
  EXPECT_TRUE(f.errors().empty());
  EXPECT_EQ(value_of(f, "alembic", "script_location"), "migrations");
  EXPECT_EQ(value_of(f, "alembic", "FILE_TEMPLATE"), "%(rev)s");
  EXPECT_EQ(f.find("alembic", "file_template")->raw, "%%(rev)s");
  EXPECT_EQ(f.find("alembic", "file_template")->line, 3);
}

TEST(IniFile, FirstDelimiterSplitsAndValuesAreStripped) {
  IniFile f = IniFile::parse("[s]\n  url  =  a=b:c  \nk:v=w\n");
  EXPECT_EQ(value_of(f, "s", "url"), "a=b:c");
  EXPECT_EQ(value_of(f, "s", "k"), "v=w");
}

TEST(IniFile, SectionNamesAreCaseSensitive) {
  IniFile f = IniFile::parse("[Alembic]\na = 1\n");
  EXPECT_TRUE(f.has_section("Alembic"));
  EXPECT_FALSE(f.has_section("alembic"));
  EXPECT_FALSE(f.get("alembic", "a").found);
}

TEST(IniFile, InlineCommentsAreKeptFullLineCommentsDropped) {
  IniFile f = IniFile::parse(
      "# top\n[s]\n; note\n   # indented comment\na = x # not a comment\nb = y ; nor this\n");
  EXPECT_TRUE(f.errors().empty());
  EXPECT_EQ(value_of(f, "s", "a"), "x # not a comment");
  EXPECT_EQ(value_of(f, "s", "b"), "y ; nor this");
}

TEST(IniFile, ContinuationLinesAndBlankLinesInsideValues) {
  IniFile f = IniFile::parse(
      "[s]\nlocs = a\n  b\n\n  c\n# comment ends nothing\n    d\n\n\nnext = 1\n  "
      "[not_a_section]\n");
  EXPECT_EQ(value_of(f, "s", "locs"), "a\nb\n\nc\nd");
  EXPECT_EQ(value_of(f, "s", "next"), "1\n[not_a_section]");
  EXPECT_FALSE(f.has_section("not_a_section"));
}

TEST(IniFile, IndentedKeyNeedsDeeperContinuation) {
  IniFile f = IniFile::parse("[s]\n  a = 1\n  b = 2\n    c\n");
  EXPECT_EQ(value_of(f, "s", "a"), "1");
  EXPECT_EQ(value_of(f, "s", "b"), "2\nc");
}

TEST(IniFile, EmptyValueAndCrLfLineEnds) {
  IniFile f = IniFile::parse("[s]\r\nempty =\r\nx = 1\r\n");
  EXPECT_EQ(value_of(f, "s", "empty"), "");
  EXPECT_EQ(value_of(f, "s", "x"), "1");
  EXPECT_EQ(f.find("s", "x")->line, 3);
}

TEST(IniFile, DefaultSectionIsVisibleEverywhereAndOverridesCallerDefaults) {
  IniFile f =
      IniFile::parse("[DEFAULT]\nroot = /srv\nhere = /override\n[alembic]\nloc = %(root)s/m\n",
                     {{"here", "/h"}, {"Other", "o"}});
  EXPECT_FALSE(f.has_section("DEFAULT"));
  EXPECT_EQ(f.sections().size(), 1u);
  EXPECT_EQ(value_of(f, "alembic", "loc"), "/srv/m");
  EXPECT_EQ(value_of(f, "alembic", "root"), "/srv");
  EXPECT_EQ(value_of(f, "alembic", "here"), "/override");
  EXPECT_EQ(value_of(f, "alembic", "other"), "o");
  EXPECT_EQ(value_of(f, "DEFAULT", "root"), "/srv");
}

TEST(IniFile, InterpolationHereEscapesAndChains) {
  IniFile f =
      IniFile::parse("[alembic]\nbase = %(here)s/app\nloc = %(BASE)s/migrations\npct = 100%%\n",
                     {{"here", "/proj"}});
  EXPECT_EQ(value_of(f, "alembic", "loc"), "/proj/app/migrations");
  EXPECT_EQ(value_of(f, "alembic", "pct"), "100%");
}

TEST(IniFile, SectionValueShadowsDefault) {
  IniFile f = IniFile::parse("[DEFAULT]\nx = d\ny = %(x)s!\n[s]\nx = s\n");
  EXPECT_EQ(value_of(f, "s", "y"), "s!");  // interpolation looks in the requesting section
}

TEST(IniFile, BadInterpolationIsAnErrorWithTheLine) {
  IniFile f = IniFile::parse(
      "[alembic]\nok = 1\nbad = %(missing)s\nbare = 50%\nref = %(x)d\nempty = %()s\n");
  IniLookup missing = f.get("alembic", "bad");
  ASSERT_TRUE(missing.found);
  ASSERT_TRUE(missing.error);
  EXPECT_EQ(missing.error->line, 3);
  EXPECT_NE(missing.error->message.find("'missing'"), std::string::npos);
  IniLookup bare = f.get("alembic", "bare");
  ASSERT_TRUE(bare.error);
  EXPECT_EQ(bare.error->line, 4);
  EXPECT_NE(bare.error->message.find("'%' must be followed by '%' or '('"), std::string::npos);
  EXPECT_TRUE(f.get("alembic", "ref").error);
  EXPECT_TRUE(f.get("alembic", "empty").error);
}

TEST(IniFile, InterpolationDepthLimit) {
  IniFile f = IniFile::parse("[s]\na = %(b)s\nb = %(a)s\n");
  IniLookup got = f.get("s", "a");
  ASSERT_TRUE(got.error);
  EXPECT_NE(got.error->message.find("Recursion limit exceeded"), std::string::npos);
}

TEST(IniFile, MissingSectionsAndOptions) {
  IniFile f = IniFile::parse("[a]\nx = 1\n");
  EXPECT_FALSE(f.get("b", "x").found);
  EXPECT_FALSE(f.get("a", "y").found);
  EXPECT_EQ(f.find("b", "x"), nullptr);
  EXPECT_EQ(f.section("b"), nullptr);
}

TEST(IniFile, ErrorsKeepLineNumbers) {
  IniFile no_header = IniFile::parse("x = 1\n[s]\ny = 2\n");
  ASSERT_EQ(no_header.errors().size(), 1u);
  EXPECT_EQ(no_header.errors()[0].line, 1);
  EXPECT_EQ(value_of(no_header, "s", "y"), "2");

  IniFile junk = IniFile::parse("[s]\na = 1\njunk line\n= nameless\n");
  ASSERT_EQ(junk.errors().size(), 2u);
  EXPECT_EQ(junk.errors()[0].line, 3);
  EXPECT_EQ(junk.errors()[1].line, 4);

  IniFile dup = IniFile::parse("[s]\na = 1\nA = 2\n[t]\n[s]\n");
  ASSERT_EQ(dup.errors().size(), 2u);
  EXPECT_EQ(dup.errors()[0].line, 3);
  EXPECT_EQ(dup.errors()[1].line, 5);
  EXPECT_EQ(value_of(dup, "s", "a"), "2");

  IniFile bom = IniFile::parse("\xEF\xBB\xBF[s]\na = 1\n");
  EXPECT_EQ(bom.errors().size(), 1u);
  EXPECT_EQ(value_of(bom, "s", "a"), "1");
}

TEST(IniFile, MultipleDefaultHeadersAreAllowed) {
  IniFile f = IniFile::parse("[DEFAULT]\na = 1\n[s]\n[DEFAULT]\nb = 2\n");
  EXPECT_TRUE(f.errors().empty());
  EXPECT_EQ(value_of(f, "s", "b"), "2");
}

TEST(IniFile, SectionHeaderRunsToLastBracket) {
  IniFile f = IniFile::parse("[a]b] trailing\nx = 1\n[]\n");
  EXPECT_TRUE(f.has_section("a]b"));
  EXPECT_EQ(f.errors().size(), 1u);  // "[]" is not a header and not an option
}

TEST(PythonInt, LikePythonsIntOfAString) {
  EXPECT_EQ(parse_python_int("42"), 42);
  EXPECT_EQ(parse_python_int("  -7 "), -7);
  EXPECT_EQ(parse_python_int("+1_000"), 1000);
  EXPECT_EQ(parse_python_int("007"), 7);
  EXPECT_FALSE(parse_python_int(""));
  EXPECT_FALSE(parse_python_int("4 2"));
  EXPECT_FALSE(parse_python_int("1__0"));
  EXPECT_FALSE(parse_python_int("_1"));
  EXPECT_FALSE(parse_python_int("0x10"));
  EXPECT_FALSE(parse_python_int("99999999999999999999999"));
}

TEST(AlembicPathList, SeparatorsAndLegacySplitting) {
  using V = std::vector<std::string>;
  EXPECT_EQ(split_alembic_path_list("a b,c, d", std::nullopt), (V{"a", "b", "c", "d"}));
  EXPECT_EQ(split_alembic_path_list("a ,b", std::nullopt), (V{"a", "", "b"}));
  EXPECT_EQ(split_alembic_path_list(" /foo  \n/bar  ", "\n"), (V{"/foo", "/bar"}));
  EXPECT_EQ(split_alembic_path_list("/Project A:/Project B", ":"), (V{"/Project A", "/Project B"}));
  EXPECT_EQ(split_alembic_path_list("a;;b; c", ";"), (V{"a", "b", "c"}));
  // os.pathsep as Python has it on each system, whatever system runs the test.
  EXPECT_EQ(alembic_path_separator("os", false), ":");
  EXPECT_EQ(alembic_path_separator("os", true), ";");
  EXPECT_EQ(alembic_path_separator(":", true), ":");
  EXPECT_EQ(split_alembic_path_list("C:\\app\\versions; D:\\shared\\versions",
                                    alembic_path_separator("os", true)),
            (std::vector<std::string>{"C:\\app\\versions", "D:\\shared\\versions"}));
  EXPECT_EQ(alembic_path_separator("space"), " ");
  EXPECT_EQ(alembic_path_separator("newline"), "\n");
  EXPECT_FALSE(alembic_path_separator(","));
  EXPECT_FALSE(alembic_path_separator("|"));
}

// ---- differential tests against Python's configparser ----------------------------

std::string hex(std::string_view s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// Every (section, option) Python lists, with the interpolated value or ERR, sorted.
std::string ours(const IniFile& f) {
  if (!f.errors().empty()) return "PARSE-ERROR\n";
  std::vector<std::string> lines;
  for (const IniSection& s : f.sections()) {
    std::vector<std::string> names;
    for (const IniOption& o : s.options) names.push_back(o.name);
    for (const IniOption& o : f.defaults().options) names.push_back(o.name);
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (const std::string& n : names) {
      IniLookup got = f.get(s.name, n);
      lines.push_back(s.name + " " + n + " " + (got.error ? "ERR" : hex(got.value)));
    }
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

// The reference Python: $ALEMBIC_LSP_PYTHON, else Debian's /usr/bin/python3 (with
// python3-alembic). Missing is a failure naming what to install, never a skip.
std::string python() {
  const char* chosen = std::getenv("ALEMBIC_LSP_PYTHON");
  return chosen && *chosen ? chosen : "/usr/bin/python3";
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  pclose(pipe);
  return out;
}

constexpr const char* kPythonDump = R"PY(
import configparser, sys
cp = configparser.ConfigParser({"here": "/HERE"})
try:
    cp.read(sys.argv[1], encoding="utf-8")
except configparser.Error:
    print("PARSE-ERROR"); sys.exit()
lines = []
for s in cp.sections():
    for k in cp.options(s):
        try:
            lines.append("%s %s %s" % (s, k, cp.get(s, k).encode().hex()))
        except (configparser.Error, ValueError):
            lines.append("%s %s ERR" % (s, k))
for l in sorted(lines): print(l)
)PY";

class IniAgainstPython : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(run(python() + " -c 'print(1)' 2>/dev/null"), "1\n")
        << python() << " does not run: install python3 (apt-get install python3) or set "
        << "ALEMBIC_LSP_PYTHON";
    dir_ = std::filesystem::temp_directory_path() /
           ("ini_test_" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "dump.py") << kPythonDump;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  void expect_same(const std::string& text) {
    std::filesystem::path file = dir_ / "case.ini";
    std::ofstream(file, std::ios::binary) << text;
    std::string python =
        run(alembic::python() + " " + (dir_ / "dump.py").string() + " " + file.string());
    EXPECT_EQ(ours(IniFile::parse(text, {{"here", "/HERE"}})), python) << "ini text:\n" << text;
  }
  std::filesystem::path dir_;
};

TEST_F(IniAgainstPython, SameValuesAsConfigParser) {
  const char* cases[] = {
      "[alembic]\nscript_location = %(here)s/migrations\nversion_locations = %(here)s/a "
      "%(here)s/b\n",
      "[alembic]\nfile_template = %%(year)d_%%(rev)s_%%(slug)s\ntruncate_slug_length: 20\n",
      "[DEFAULT]\nbase = /x\n[alembic]\nloc = %(base)s/%(here)s\n[other]\nLOC = %(BASE)s\n",
      "[s]\nlocs =\n    a\n\n    b\n  # c\n\n\nk = v ; v\n",
      "[s]\nbad = %(nope)s\ngood = ok\npct = 5%\n",
      "[s]\n  a = 1\n    2\n  b: 3\n\t\tmore\n",
      "[s]\r\na = 1\r\n  2\r\n[t]\rb = 3\r",
      "[s]\na = %(b)s\nb = %(c)s\nc = %%\n",
      "x = 1\n[s]\n",
      "[s]\na = 1\na = 2\n",
      "[s]\nnovalue\n",
      "[a]b]\nk = [v]\n[sp ace]\nk=v\n",
      "[s]\nk = x\\\n  y\n",
      "[s]\nurl = postgresql://u:p@h/db?x=%%20\n",
  };
  for (const char* text : cases) expect_same(text);
}

// ---- alembic.ini as Debian's Alembic 1.8.1 reads it -------------------------------
// Discovery (config, splitting, %(here)s, package:dir, file filter) against the real thing.

class AlembicIni : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() / ("alembic_ini_test_" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    root_ = fs::canonical(root_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  fs::path write(const std::string& rel,
                 const std::string& text = "revision = 'a'\ndown_revision = None\n") {
    fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  void script_dir(const std::string& rel) { fs::create_directories(root_ / rel / "versions"); }
  fs::path root_;
};

// One Python process for all cases: importing Alembic costs about a second.
constexpr const char* kAlembicDump = R"PY(
import importlib, os, sys
from alembic.config import Config
from alembic.script import ScriptDirectory
args = sys.argv[1:]
for ini, section in zip(args[::2], args[1::2]):
    here = os.path.dirname(ini)
    os.chdir(here)  # Alembic resolves relative paths against the working directory
    sys.path.insert(0, here)
    importlib.invalidate_caches()
    print("== %s %s" % (ini, section))
    sd = ScriptDirectory.from_config(Config(ini, ini_section=section))
    print("DIR " + os.path.abspath(sd.dir))
    for v in sd._version_locations: print("VER " + v)
    print("TSL %d" % sd.truncate_slug_length)
    print("TPL " + sd.file_template)
    for p in sorted(os.path.realpath(s.path) for s in sd._load_revisions()): print("FILE " + p)
    sys.path.remove(here)
)PY";

// What we make of one ini section, in the dump's format.
std::string describe(const fs::path& ini, const std::string& section) {
  std::string out = "== " + ini.string() + " " + section + "\n";
  for (const Environment& env : discover_environments(ini).environments) {
    if (env.config_section != section) continue;
    out += "DIR " + env.script_location.string() + "\n";
    for (const fs::path& v : env.version_locations) out += "VER " + v.string() + "\n";
    out += "TSL " + std::to_string(env.truncate_slug_length) + "\nTPL ";
    for (size_t i = 0; i < env.file_template.size(); ++i) {
      out += env.file_template[i];
      if (env.file_template.compare(i, 2, "%%") == 0) ++i;
    }
    out += "\n";
    std::vector<DiscoveryProblem> problems;
    std::vector<std::string> files;
    for (const fs::path& f : list_migration_files(env, problems))
      files.push_back(fs::canonical(f).string());
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) out += "FILE " + f + "\n";
  }
  return out;
}

TEST_F(AlembicIni, SameAsDebiansAlembic181) {
  ASSERT_EQ(run(python() + " -c 'import alembic' 2>/dev/null && echo ok"), "ok\n")
      << "Alembic is not importable from " << python()
      << ": apt-get install python3-alembic (or set ALEMBIC_LSP_PYTHON)";
  // Default versions dir and the file filter.
  for (const char* f : {"a.py", "_p.py", ".h.py", "__init__.py", ".#l.py", "x.pyc", "n.txt"}) {
    write(std::string("c1/migrations/versions/") + f);
  }
  write("c1/alembic.ini", "[alembic]\nscript_location = migrations\n");
  // %(here)s, legacy space/comma splitting, `..`, truncate_slug_length 0, file_template.
  script_dir("c2/alembic");
  write("c2/a/1.py");
  write("c2/b/2.py");
  write("c2/c/3.py");
  write("c2/alembic.ini",
        "[alembic]\nscript_location = %(here)s/alembic\nversion_locations = %(here)s/a "
        "a/../b,%(here)s/c\n"
        "truncate_slug_length = 0\nfile_template = %%(year)d_%%(rev)s\n");
  // DEFAULT interpolation, `;` and `os` separators, a symlinked duplicate, a named section.
  script_dir("c3/m");
  write("c3/v 1/1.py");
  write("c3/v2/2.py");
  fs::create_directory_symlink(root_ / "c3/v2", root_ / "c3/v2link");
  write("c3/alembic.ini",
        "[DEFAULT]\nbase = %(here)s\n[alembic]\nscript_location = m\nversion_locations = "
        "%(base)s/v 1;v2;v2link\n"
        "version_path_separator = ;\n[other]\nscript_location = %(base)s/m\nversion_locations = "
        "v2:v 1\n"
        "version_path_separator = os\ntruncate_slug_length = 9\n");
  // package:resource
  write("c4/myapp/__init__.py", "");
  write("c4/myapp/db/__init__.py", "");
  write("c4/myapp/db/migrations/versions/1.py");
  write("c4/alembic.ini", "[alembic]\nscript_location = myapp.db:migrations\n");

  std::vector<std::pair<std::string, std::string>> cases{
      {"c1", "alembic"}, {"c2", "alembic"}, {"c3", "alembic"}, {"c3", "other"}, {"c4", "alembic"}};
  std::string command =
      python() + " -c \"exec(open('" + write("dump.py", kAlembicDump).string() + "').read())\"";
  std::string ours;
  for (const auto& [dir, section] : cases) {
    command += " '" + (root_ / dir / "alembic.ini").string() + "' " + section;
    ours += describe(root_ / dir / "alembic.ini", section);
  }
  std::string alembic = run(command + " 2>/dev/null");
  EXPECT_EQ(std::count(alembic.begin(), alembic.end(), '='), 2 * static_cast<long>(cases.size()));
  EXPECT_EQ(ours, alembic);
}

}  // namespace
}  // namespace alembic
