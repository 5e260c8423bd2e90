// What `alembic merge` writes. Unit tests pin ids, slugs, file names, dates and repr();
// the parity tests run Debian's Alembic 1.8.1 (python3-alembic) and require the same
// bytes: Python's str semantics over every code point, Alembic's own _rev_path, and
// whole `alembic merge` runs whose file name and content must equal ours exactly.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "analysis/merge.h"
#include "analysis/python_repr.h"

#include "process_test_support.h"

namespace alembic {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

// ---------------------------------------------------------------- helpers

using process_test::hex;
using process_test::python_candidates;
using process_test::read_file;
using process_test::run;
using process_test::unhex;

struct Scratch {
  fs::path dir = fs::temp_directory_path() /
                 ("merge_test_" + std::to_string(getpid()) + "_" + std::to_string(std::rand()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() { fs::remove_all(dir); }
};

// The Python that has Alembic: $ALEMBIC_LSP_PYTHON, /usr/bin/python3, python3. A missing
// Alembic is a failure, not a skip: these tests are the proof of byte-for-byte output.
constexpr const char* kNoAlembic =
    "No Python with Alembic found (tried $ALEMBIC_LSP_PYTHON, /usr/bin/python3, python3). "
    "Install Debian's python3-alembic: apt-get install python3-alembic";

std::string find_python_with_alembic() {
  Scratch scratch;
  for (const std::string& py : python_candidates())
    if (run({py, "-c", "import alembic"}, scratch.dir / "probe") == 0) return py;
  return "";
}

std::string python_with_alembic() {
  static const std::string python = find_python_with_alembic();
  return python;
}

// Runs the same local-time zone in this process and in the children it spawns.
struct LocalZone {
  std::string saved;
  bool had = false;
  explicit LocalZone(const char* tz) {
    if (const char* old = std::getenv("TZ")) saved = old, had = true;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~LocalZone() {
    had ? setenv("TZ", saved.c_str(), 1) : unsetenv("TZ");
    tzset();
  }
};
constexpr const char* kNewYork = "EST5EDT,M3.2.0,M11.1.0";  // POSIX rule: no tzdata needed

Clock::time_point at_micros(long long micros) {
  return Clock::time_point(std::chrono::microseconds(micros));
}

// "2024-05-01 12:34:56.123456" as local time, the inverse of python_datetime_str.
Clock::time_point parse_local(const std::string& s) {
  std::tm tm{};
  int micros = 0;
  EXPECT_GE(std::sscanf(s.c_str(), "%d-%d-%d %d:%d:%d.%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                        &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &micros),
            6)
      << s;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  tm.tm_isdst = -1;
  return Clock::from_time_t(std::mktime(&tm)) + std::chrono::microseconds(micros);
}

// ---------------------------------------------------------------- unit tests

TEST(NewRevisionId, TwelveRandomLowercaseHexDigits) {
  std::set<std::string> seen;
  std::vector<std::set<char>> per_position(12);
  for (int i = 0; i < 500; ++i) {
    const std::string id = new_revision_id();
    ASSERT_EQ(id.size(), 12u);
    for (size_t k = 0; k < id.size(); ++k) {
      ASSERT_TRUE(std::isxdigit(static_cast<unsigned char>(id[k])) &&
                  !std::isupper(static_cast<unsigned char>(id[k])))
          << id;
      per_position[k].insert(id[k]);
    }
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 500u);
  for (const auto& digits : per_position) EXPECT_GE(digits.size(), 12u);  // no fixed nibble
}

TEST(MakeSlug, WordsJoinedAndLowered) {
  EXPECT_EQ(make_slug("merge heads"), "merge_heads");
  EXPECT_EQ(make_slug(""), "");
  EXPECT_EQ(make_slug("!!! ..."), "");
  EXPECT_EQ(make_slug("Fix: bug #12 (urgent)!"), "fix_bug_12_urgent");
  EXPECT_EQ(make_slug("__init__ of x-y"), "__init___of_x_y");
  EXPECT_EQ(make_slug("Ünïcode CAFÉ ½ ٣"), "ünïcode_café_½_٣");
  EXPECT_EQ(make_slug("ΣΟΦΟΣ ΟΔΟΣ"), "σοφος_οδος");  // final sigma before '_' and at the end
  EXPECT_EQ(make_slug("İstanbul"), "i\u0307stanbul");
  EXPECT_EQ(make_slug("cafe\u0301 nai\u0308ve"), "cafe_nai_ve");  // combining marks are not \w
  EXPECT_EQ(make_slug("日本語のテスト"), "日本語のテスト");
  EXPECT_EQ(make_slug("bad \xFF byte"), "bad_byte");
}

TEST(MakeSlug, TruncatesLikeAlembic) {
  const std::string long_msg = "add a very long column name to the users table for testing";
  EXPECT_EQ(make_slug(long_msg), "add_a_very_long_column_name_to_the_");
  EXPECT_EQ(make_slug(long_msg, 10), "add_a_");
  EXPECT_EQ(make_slug(long_msg, 0), make_slug(long_msg, 40));  // `truncate_slug_length or 40`
  EXPECT_EQ(make_slug("abcdefghijklmnop", 5), "abcde_");       // no '_' to cut at
  EXPECT_EQ(make_slug("ééééé ééééé", 8), "ééééé_");            // counts code points
  EXPECT_EQ(make_slug("exactly10c", 10), "exactly10c");
  EXPECT_EQ(make_slug("abc_def_ghi", -2), "abc_def_");
}

TEST(PythonRepr, StrTupleNone) {
  using python::repr_str;
  EXPECT_EQ(repr_str("abc"), "'abc'");
  EXPECT_EQ(repr_str(""), "''");
  EXPECT_EQ(repr_str("it's"), "\"it's\"");
  EXPECT_EQ(repr_str("both ' and \""), "'both \\' and \"'");
  EXPECT_EQ(repr_str("say \"hi\""), "'say \"hi\"'");
  EXPECT_EQ(repr_str("a\\b\n\t\r\x01\x7f"), "'a\\\\b\\n\\t\\r\\x01\\x7f'");
  EXPECT_EQ(repr_str("é日本\U0001F600"), "'é日本\U0001F600'");
  EXPECT_EQ(repr_str("\xC2\xA0\xC2\x85\u200b\u2028\U000E0001"),
            "'\\xa0\\x85\\u200b\\u2028\\U000e0001'");
  EXPECT_EQ(python::repr_str_tuple({}), "()");
  EXPECT_EQ(python::repr_str_tuple({"a"}), "('a',)");
  EXPECT_EQ(python::repr_str_tuple({"a", "it's"}), "('a', \"it's\")");
  EXPECT_EQ(python::kReprNone, "None");
}

TEST(PythonDatetimeStr, LikeStrOfDatetime) {
  LocalZone zone("UTC0");
  EXPECT_EQ(python_datetime_str(at_micros(0)), "1970-01-01 00:00:00");
  EXPECT_EQ(python_datetime_str(at_micros(1)), "1970-01-01 00:00:00.000001");
  EXPECT_EQ(python_datetime_str(at_micros(1714566896123456)), "2024-05-01 12:34:56.123456");
  EXPECT_EQ(python_datetime_str(at_micros(1714566896000000) + std::chrono::nanoseconds(999)),
            "2024-05-01 12:34:56");  // truncated to microseconds like datetime.now()
}

TEST(RenderFileName, TokensAndBothPercentForms) {
  LocalZone zone(kNewYork);
  const auto when = at_micros(1714566896123456);  // 2024-05-01 08:34:56 EDT
  EXPECT_EQ(render_file_name("%%(rev)s_%%(slug)s", "abc", "merge_heads", when),
            "abc_merge_heads.py");
  EXPECT_EQ(render_file_name("%(rev)s_%(slug)s", "abc", "merge_heads", when), "abc_merge_heads.py");
  EXPECT_EQ(render_file_name(
                "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s",
                "abc", "m", when),
            "2024_05_01_0834-abc_m.py");
  EXPECT_EQ(
      render_file_name("%(epoch)s-%(second)03d-%(month)s-%(rev).2s-%(slug)-4s|", "abc", "m", when),
      "1714566896-056-5-ab-m   |.py");
  EXPECT_EQ(render_file_name("%(rev)r_100%", "abc", "", when), "'abc'_100%.py");
  EXPECT_EQ(render_file_name("%%(rev)s_100%%%%", "abc", "", when), "abc_100%.py");  // raw ini
  EXPECT_EQ(render_file_name("%(rev)s_100%%", "abc", "", when), "abc_100%.py");     // interpolated
}

// ---------------------------------------------------------------- parity with Python

// One request per line; the runner answers one hex line each (or ERR).
constexpr const char* kRunner = R"py(
import sys, os, datetime, unicodedata
from alembic.script.base import ScriptDirectory
h = lambda x: bytes.fromhex(x[1:]).decode()  # "x" + hex, so that "" is a word too
def local(us): return datetime.datetime.fromtimestamp(us // 10**6).replace(microsecond=us % 10**6)
with open(sys.argv[2], "wb") as f:  # per code point: \w, isprintable
    f.write(bytes((chr(c) == "_" or chr(c).isalnum()) | chr(c).isprintable() << 1 for c in range(0x110000)))
with open(sys.argv[3], "w") as f:   # every code point whose lower() differs
    for c in range(0x110000):
        if chr(c).lower() != chr(c): f.write("%x %s\n" % (c, chr(c).lower().encode().hex()))
for line in open(sys.argv[1]):
    kind, *a = line.split()
    try:
        if kind == "repr": out = repr(h(a[0]))
        elif kind == "lower": out = h(a[0]).lower()
        elif kind == "dt": out = str(local(int(a[0])))
        elif kind == "path":
            sd = ScriptDirectory(sys.argv[4], file_template=h(a[0]), truncate_slug_length=int(a[2]))
            out = os.path.basename(sd._rev_path(sys.argv[4], "abc123def456", h(a[1]) if a[1] != "-" else None, local(int(a[3]))))
        print(out.encode().hex())
    except Exception as e:
        print("ERR", type(e).__name__, e)
)py";

TEST(PythonParity, UnicodeTablesReprSlugsFileNamesAndDates) {
  const std::string python = python_with_alembic();
  ASSERT_FALSE(python.empty()) << kNoAlembic;
  LocalZone zone(kNewYork);
  Scratch s;
  std::ostringstream requests;
  std::vector<std::string> expected;
  const std::vector<std::string> texts = {"",
                                          "abc",
                                          "it's",
                                          "say \"hi\"",
                                          "both ' \"",
                                          "a\\b\n\t\r\x01\x1f\x7f",
                                          "é\xC2\xA0\xC2\xAD\u0378\u200b",
                                          "\u2028\U0001F600\U000E0001\U0010FFFF",
                                          "ΣΑΣ ΌΣΟΣ Σ aΣ. Σa ʰΣ aΣʰ a'Σ'",
                                          "İI ǅ ẞ Ωmega Ⅻ"};
  for (const std::string& t : texts) {
    requests << "repr x" << hex(t) << "\nlower x" << hex(t) << "\n";
    expected.push_back(python::repr_str(t));
    expected.push_back(python::encode_utf8(python::lower(python::decode_utf8(t))));
  }
  const std::vector<std::string> messages = {
      "merge heads",
      "Add users: email, name (unique)!",
      "ünïcode — ΣΟΦΟΣ naïve café's «quotes» İstanbul",
      "add a very long column name to the users table for testing",
      "x_y__z  ___",
      "日本語 テスト ١٢٣",
      "cafe\u0301 \u00BD\u2167 a\u00B2",
      "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣ",
      "-"};
  const std::vector<std::string> file_templates = {
      "%(rev)s_%(slug)s", "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s",
      "%(epoch)s_%(second)02d_%(rev).6s_%(slug)-12s", "%(rev)r%(month)5d%(day)-3d%(hour)+d_100%%"};
  const long long times[] = {1714566896123456, 1700000000000000, 1710054000000001,
                             1730613599999999};
  int n = 0;
  for (const std::string& m : messages) {
    for (const std::string& ft : file_templates) {
      const int length = (n++ % 3 == 0) ? 40 : (n % 3 == 1 ? 10 : 25);
      const long long us = times[n % 4];
      requests << "path x" << hex(ft) << " " << (m == "-" ? "-" : "x" + hex(m)) << " " << length
               << " " << us << "\n";
      expected.push_back(render_file_name(ft, "abc123def456", make_slug(m == "-" ? "" : m, length),
                                          at_micros(us)));
    }
  }
  for (long long us : times) {
    requests << "dt " << us << "\ndt " << us / 1000000 * 1000000 << "\n";
    expected.push_back(python_datetime_str(at_micros(us)));
    expected.push_back(python_datetime_str(at_micros(us / 1000000 * 1000000)));
  }
  std::ofstream(s.dir / "requests.txt") << requests.str();
  ASSERT_EQ(run({python, "-c", kRunner, (s.dir / "requests.txt").string(),
                 (s.dir / "classes.bin").string(), (s.dir / "lower.txt").string(), s.dir.string()},
                s.dir / "out.txt"),
            0)
      << read_file(s.dir / "out.txt.err");
  std::istringstream answers(read_file(s.dir / "out.txt"));
  std::istringstream asked(requests.str());
  for (size_t i = 0; i < expected.size(); ++i) {
    std::string answer, request;
    std::getline(answers, answer);
    std::getline(asked, request);
    EXPECT_EQ(expected[i], answer.rfind("ERR", 0) == 0 ? answer : unhex(answer)) << request;
  }
  const std::string classes = read_file(s.dir / "classes.bin");
  ASSERT_EQ(classes.size(), 0x110000u);
  for (char32_t c = 0; c < 0x110000; ++c) {
    ASSERT_EQ(python::is_word_char(c), (classes[c] & 1) != 0)
        << std::hex << static_cast<uint32_t>(c);
    ASSERT_EQ(python::is_printable(c), (classes[c] & 2) != 0)
        << std::hex << static_cast<uint32_t>(c);
  }
  size_t lowered = 0;
  std::istringstream lower_lines(read_file(s.dir / "lower.txt"));
  for (std::string cp, low; lower_lines >> cp >> low; ++lowered) {
    const char32_t c = static_cast<char32_t>(std::stoul(cp, nullptr, 16));
    EXPECT_EQ(python::encode_utf8(python::lower(std::u32string(1, c))), unhex(low)) << cp;
  }
  EXPECT_GT(lowered, 1400u);
  size_t ours = 0;
  for (char32_t c = 0; c < 0x110000; ++c)
    ours += python::lower(std::u32string(1, c)) != std::u32string(1, c);
  EXPECT_EQ(ours, lowered);
}

// ---------------------------------------------------------------- real `alembic merge` runs

constexpr const char* kRev = "abc123def456";

struct Generated {
  std::string file_name;
  std::string content;
};

// A script directory with one base and `head_count` heads, written by hand.
struct Project {
  Scratch scratch;
  fs::path location = scratch.dir / "migrations";
  std::vector<std::string> heads;  // in Alembic 1.8's load order: os.listdir, i.e. readdir

  Project(std::string_view script_template, int head_count, const std::string& ini_extra) {
    fs::create_directories(location / "versions");
    std::ofstream(location / "script.py.mako", std::ios::binary) << script_template;
    std::ofstream(scratch.dir / "alembic.ini")
        << "[alembic]\nscript_location = " << location.string() << "\n"
        << ini_extra;
    std::ofstream(location / "versions" / "base.py")
        << "revision = 'aaaa00000001'\ndown_revision = None\n";
    for (int i = 0; i < head_count; ++i)
      std::ofstream(location / "versions" / ("head" + std::to_string(i) + ".py"))
          << "revision = 'head0000000" << i << "'\ndown_revision = 'aaaa00000001'\n";
    for (const auto& entry : fs::directory_iterator(location / "versions")) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("head", 0) == 0)
        heads.push_back("head0000000" + name.substr(4, name.size() - 7));
    }
  }

  Generated merge(const std::string& python, std::vector<std::string> args) {
    std::vector<std::string> argv = {"env",
                                     "LC_ALL=C.UTF-8",
                                     python,
                                     "-m",
                                     "alembic",
                                     "-c",
                                     (scratch.dir / "alembic.ini").string(),
                                     "merge",
                                     "--rev-id",
                                     kRev};
    argv.insert(argv.end(), args.begin(), args.end());
    EXPECT_EQ(run(argv, scratch.dir / "alembic.out"), 0)
        << read_file(scratch.dir / "alembic.out") << read_file(scratch.dir / "alembic.out.err");
    for (const auto& entry : fs::directory_iterator(location / "versions")) {
      const std::string name = entry.path().filename().string();
      if (name.find(kRev) != std::string::npos) return {name, read_file(entry.path())};
    }
    ADD_FAILURE() << "alembic merge wrote no file: " << read_file(scratch.dir / "alembic.out.err");
    return {};
  }
};

struct Case {
  std::string script_template{};
  int heads = 2;
  std::optional<std::string> message = "merge heads";
  std::string ini_extra{};
  std::string file_template = "%%(rev)s_%%(slug)s";  // as written in alembic.ini
  int slug_length = 40;
  std::vector<int> explicit_heads{};  // merge these (by index) instead of `heads`
};

void expect_same_as_alembic(const Case& c) {
  const std::string python = python_with_alembic();
  ASSERT_FALSE(python.empty()) << kNoAlembic;
  Project project(c.script_template, c.heads, c.ini_extra);
  std::vector<std::string> args, parents;
  if (c.message) args.insert(args.end(), {"-m", *c.message});
  for (int i : c.explicit_heads) args.push_back(project.heads[static_cast<size_t>(i)]);
  if (c.explicit_heads.empty()) args.push_back("heads");
  parents = project.heads;
  if (!c.explicit_heads.empty()) {
    parents.clear();
    for (int i : c.explicit_heads) parents.push_back(project.heads[static_cast<size_t>(i)]);
  }
  const Generated real = project.merge(python, args);
  const size_t at = real.content.find("Create Date: ");
  ASSERT_NE(at, std::string::npos) << real.content;
  const std::string create_date =
      real.content.substr(at + 13, real.content.find('\n', at) - at - 13);
  const Clock::time_point when = parse_local(create_date);
  EXPECT_EQ(python_datetime_str(when), create_date);

  const MergeScript script{c.message.value_or(""), kRev, parents, create_date, {}, {}, false};
  std::string why = "unset";
  EXPECT_EQ(render_merge_script(c.script_template, script, &why), real.content);
  EXPECT_EQ(why, "") << "fell back to the default template";
  EXPECT_EQ(render_file_name(c.file_template, kRev,
                             make_slug(c.message.value_or(""), c.slug_length), when),
            real.file_name);
}

std::string shipped_template(const std::string& name) {
  const std::string python = python_with_alembic();
  if (python.empty()) {
    ADD_FAILURE() << kNoAlembic;
    return "";
  }
  Scratch s;
  run({python, "-c", "import alembic, os; print(os.path.dirname(alembic.__file__), end='')"},
      s.dir / "dir");
  const std::string text =
      read_file(fs::path(read_file(s.dir / "dir")) / "templates" / name / "script.py.mako");
  EXPECT_FALSE(text.empty()) << name;
  return text;
}

TEST(AlembicMerge, GenericTemplateOfAlembic18TwoHeads) {
  expect_same_as_alembic({.script_template = shipped_template("generic")});
}

TEST(AlembicMerge, AsyncTemplateOfAlembic18ThreeHeads) {
  expect_same_as_alembic({.script_template = shipped_template("async"), .heads = 3});
}

TEST(AlembicMerge, CurrentUpstreamDefaultTemplate) {
  expect_same_as_alembic({.script_template = std::string(default_script_template()), .heads = 3});
}

TEST(AlembicMerge, ExplicitRevisionsKeepTheirOrder) {
  expect_same_as_alembic({.script_template = std::string(default_script_template()),
                          .heads = 3,
                          .explicit_heads = {2, 0}});
}

TEST(AlembicMerge, PunctuationAndUnicodeMessage) {
  expect_same_as_alembic(
      {.script_template = shipped_template("generic"),
       .message = "Fix: Ünïcode—ΣΟΦΟΣ naïve café's «quotes» İstanbul \"x\" ½ 日本"});
}

TEST(AlembicMerge, EmptyMessage) {
  expect_same_as_alembic(
      {.script_template = std::string(default_script_template()), .message = std::nullopt});
}

TEST(AlembicMerge, LongMessagesAreTruncated) {
  const std::string msg =
      "merge the expand and contract branches after the big users table refactoring";
  expect_same_as_alembic({.script_template = shipped_template("generic"), .message = msg});
  expect_same_as_alembic({.script_template = shipped_template("generic"),
                          .message = msg,
                          .ini_extra = "truncate_slug_length = 25\n",
                          .slug_length = 25});
}

TEST(AlembicMerge, FileTemplateWithDateTokensInLocalTime) {
  LocalZone zone(kNewYork);
  const std::string ft =
      "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d%%(second)02d"
      "_%%(epoch)s_%%(rev)s_%%(slug)s";
  expect_same_as_alembic({.script_template = std::string(default_script_template()),
                          .ini_extra = "file_template = " + ft + "\n",
                          .file_template = ft});
}

TEST(AlembicMerge, TemplateUsingTheWholeSubset) {
  const std::string tmpl =
      "# -*- coding: utf-8 -*-\n\"\"\"${message | trim}\n\nRevises: ${down_revision | comma,n}\n"
      "Create Date: ${create_date}\n"
      "## a comment line\n%% if this were a control line\n\"\"\"\n"
      "revision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n"
      "% if down_revision:\nparents = ${down_revision}  # ${repr(down_revision)}\n"
      "  % if branch_labels:\nlabels = ${branch_labels}\n  % elif not depends_on:\nno_labels = "
      "True\n"
      "  % endif\n% else:\nbase = True\n% endif\nlong = 1 + \\\n    2\n"
      "# <%text>${not_expanded}</%text>\n<%doc>\n${ignored}\n</%doc>\n"
      "config_given = ${repr('yes' if config else 'no')}\n${imports or \"# no imports\"}\n"
      "def upgrade():\n    ${upgrades if upgrades else \"pass\"}\n";
  expect_same_as_alembic({.script_template = tmpl, .heads = 2, .message = "  padded message\t"});
}

TEST(AlembicMerge, UnsupportedTemplateFallsBackToTheDefault) {
  const MergeScript script{"merge heads", kRev, {"a1", "b2"}, "2024-05-01 12:34:56.123456", {}, {},
                           false};
  std::string why;
  const std::string out = render_merge_script(shipped_template("multidb"), script, &why);
  EXPECT_EQ(out, *render_script_template(default_script_template(), script));
  EXPECT_NE(why.find("script.py.mako line 1: unsupported construct `<%!`"), std::string::npos)
      << why;
  EXPECT_EQ(render_merge_script(std::nullopt, script), out);
  EXPECT_NE(out.find("Revises: a1, b2\n"), std::string::npos);
  EXPECT_NE(out.find("down_revision: Union[str, Sequence[str], None] = ('a1', 'b2')\n"),
            std::string::npos);
}

}  // namespace
}  // namespace alembic
