// The cold path's shortcut (analysis/parse_fast.h) against tree-sitter: generated
// migrations made of the shapes it reads and of near misses it must leave alone,
// plus every migration file in the repository. parse_migration (shortcut taken when
// it can) must equal the tree-sitter-only path and the full-tree document.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/parse_extract.h"
#include "analysis/parse_fast.h"
#include "analysis/parser.h"
#include "analysis/python_scan.h"
#include "parse_test_support.h"

using namespace alembic;
using alembic::testing::same;

namespace {

bool fast_reads(const std::string& text) {
  extract::Extractor ex(text);
  return fast::read_simple_lines(text, scan::scan_module(text), ex);
}

// Compares the three readers on `text`; returns whether the shortcut read it.
bool check_all(const std::string& text) {
  ParsedMigration cold = parse_migration(text);
  ParsedMigration tree = detail::parse_migration_tree_sitter(text);
  MigrationDocument doc(text);
  EXPECT_TRUE(same(cold, tree)) << "shortcut vs tree-sitter, text:\n" << text;
  EXPECT_TRUE(same(cold, doc.parsed())) << "shortcut vs document, text:\n" << text;
  return fast_reads(text);
}

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  std::string file() {
    crlf_ = chance(15);
    clean_ = chance(60);  // only shapes the shortcut reads, mostly
    std::string out;
    if (chance(70)) out += docstring();
    const int n = 1 + pick(8);
    for (int i = 0; i < n; ++i) out += statement();
    if (chance(50)) out += "\n\ndef upgrade():\n    op.add_column('t', sa.Column('c'))\n";
    if (crlf_) {
      std::string converted;
      for (char c : out) {
        if (c == '\n') converted += '\r';
        converted += c;
      }
      return converted;
    }
    return out;
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
  bool chance(int percent) { return pick(100) < percent; }
  template <class T>
  const T& one(const std::vector<T>& v) {
    return v[static_cast<size_t>(pick(static_cast<int>(v.size())))];
  }

  std::string docstring() {
    std::string body = one<std::string>({"add things", "merge heads", "", "Ajout\xC3\xA9"});
    body += "\n\nRevision ID: " + one<std::string>({"abc123", "d1", "x y"}) + "\n";
    if (chance(80)) body += "Revises: " + one<std::string>({"p1", "p1, p2", "", "None"}) + "\n";
    body += "Create Date: 2024-05-01 09:00:00\n\n";
    std::string q = one<std::string>({"\"\"\"", "'''"});
    std::string prefix = one<std::string>({"", "", "", "r", "u", "b", "f"});
    if (clean_ && (prefix == "b" || prefix == "f")) prefix.clear();
    std::string out = prefix + q + body + q;
    if (chance(10)) out += " \"tail\"";
    if (chance(10)) out += "  # comment";
    if (!clean_ && chance(5)) out = "(" + out + ")";
    return out + "\n" + (chance(50) ? "from alembic import op\nimport sqlalchemy as sa\n\n" : "");
  }

  std::string space() { return one<std::string>({"", " ", " ", "  ", "\t"}); }

  std::string string_literal() {
    std::string prefix = one<std::string>({"", "", "", "", "r", "R", "u", "U", "b", "f", "rb"});
    if (clean_ && (prefix[0] == 'b' || prefix[0] == 'f' || prefix == "rb")) prefix.clear();
    std::string q = one<std::string>({"'", "\"", "'''", "\"\"\""});
    const bool triple = q.size() == 3;
    std::string body;
    const int pieces = pick(4);
    for (int i = 0; i < pieces; ++i) {
      std::vector<std::string> p = {"abc", "0064_prev", "\\n",  "\\x41", "\\N{EM DASH}",
                                    "\\q", "\xC3\xA9",  "\\\\", "-",     " "};
      p.push_back(q[0] == '\'' ? "\"" : "'");
      p.push_back(std::string("\\") + q[0]);
      if (triple) p.push_back("\n");
      if (!clean_ && chance(3)) p.push_back("\\\n");
      if (!clean_ && chance(2)) p.push_back("\xFF");
      body += one(p);
    }
    std::string out = prefix + q + body;
    if (clean_ || !chance(2)) out += q;  // now and then unterminated
    return out;
  }

  std::string atom(int depth) {
    const int k = pick(100);
    if (k < 40) {
      std::string s = string_literal();
      if (chance(12)) s += space() + string_literal();  // implicit concatenation
      return s;
    }
    if (k < 60)
      return one<std::string>({"None", "X", "BASE", "OTHER", "True", "undefined", "revision"});
    if (k < 63 && !clean_)
      return one<std::string>({"cli.X", "f()", "1", "X + 'a'", "x[0]", "print", "é"});
    if (k < 75) return "(" + space() + atom(depth + 1) + space() + ")";
    if (depth > 1 && !chance(20)) return "'leaf'";
    if (depth > 0 && clean_) return "'leaf'";  // a nested sequence
    return sequence(depth + 1);
  }

  std::string separator() {
    std::string s = space() + ",";
    if (chance(15)) s += "  # note";
    if (chance(25)) s += "\n   ";
    return s + space();
  }

  std::string sequence(int depth) {
    const bool list = chance(40);
    const int n = pick(4);
    std::string out = list ? "[" : "(";
    if (chance(15)) out += "  # first\n";
    for (int i = 0; i < n; ++i) {
      if (i) out += separator();
      out += atom(depth);
    }
    if (n > 0 && (n == 1 ? !list && !chance(10) : chance(30))) out += separator();
    return out + space() + (list ? "]" : ")");
  }

  std::string value() {
    if (chance(15)) {  // bare comma list
      std::string out = atom(1);
      const int n = 1 + pick(3);
      for (int i = 0; i < n; ++i) out += space() + "," + space() + atom(1);
      if (chance(25)) out += ",";
      return out;
    }
    return atom(0);
  }

  std::string statement() {
    const int k = pick(100);
    std::vector<std::string> names = {"revision", "down_revision", "branch_labels", "depends_on",
                                      "X",        "BASE",          "OTHER"};
    if (k < 8 && !clean_)
      return one<std::string>({"X = f()\n", "X += 'a'\n", "import os\n", "# c\n", "\n",
                               "revision = 'a'; down_revision = 'b'\n", "revision = \\\n  'cont'\n",
                               "print('x')\n", "X: str\n", "\"plain\"\n",
                               "if x:\n    revision = 'no'\n"});
    std::string out = one(names);
    if (chance(25)) {
      out += space() + ":" + space() +
             one<std::string>({"str", "Union[str, None]", "Optional[Sequence[str]]", "'quoted'"});
    } else if (chance(10)) {
      out += space() + "=" + space() + one(names);  // a chain
    }
    out += space() + "=" + space() + value();
    if (chance(15)) out += space() + "# trailing";
    if (!clean_ && chance(3)) out += "\f";
    return out + "\n";
  }

  std::mt19937 rng_;
  bool crlf_ = false;
  bool clean_ = false;
};

}  // namespace

TEST(ParserFast, ReadsTheTemplatesItIsFor) {
  const std::string classic =
      "\"\"\"add account\n\nRevision ID: 1975ea83b712\nRevises: 0064\nCreate Date: x\n\n\"\"\"\n"
      "from alembic import op\n\n# revision identifiers, used by Alembic.\n"
      "revision = '1975ea83b712'\ndown_revision = '0064'\nbranch_labels = None\n"
      "depends_on = None\n\n\ndef upgrade():\n    pass\n";
  const std::string annotated =
      "\"\"\"merge\n\nRevision ID: c0ffee\nRevises: a1, b2\n\"\"\"\n"
      "from typing import Sequence, Union\n\n"
      "revision: str = \"c0ffee\"\n"
      "down_revision: Union[str, Sequence[str], None] = (\n    \"a1\",  # first\n    \"b2\",\n)\n"
      "branch_labels: Union[str, Sequence[str], None] = ('kilo',)\n"
      "depends_on: Union[str, Sequence[str], None] = [r'dep\\1']\n";
  const std::string names = "BASE = 'a1'\nrevision = 'r'\ndown_revision = BASE, 'b2'\n";
  for (const std::string& text : {classic, annotated, names}) EXPECT_TRUE(check_all(text)) << text;
  ParsedMigration p = parse_migration(annotated);
  EXPECT_EQ(alembic::testing::strings(p.down_revision), (std::vector<std::string>{"a1", "b2"}));
  EXPECT_EQ(alembic::testing::strings(p.depends_on), (std::vector<std::string>{"dep\\1"}));
  EXPECT_EQ(p.docstring.revision_id->text, "c0ffee");
  EXPECT_EQ(alembic::testing::strings(parse_migration(names).down_revision),
            (std::vector<std::string>{"a1", "b2"}));
}

TEST(ParserFast, LeavesOtherShapesToTreeSitter) {
  for (const std::string text :
       {"revision = 'a'\ndepends_on = (cli.X,)\n", "revision = b'a'\n", "revision = f'{x}'\n",
        "revision = 'a'; down_revision = None\n", "revision = \\\n  'a'\n",
        "revision = (('a', 'b'),)\n", "revision = 'a\n", "revision = 'a' + 'b'\n",
        "r\xC3\xA9vision = 'a'\nrevision = 'b'\n", "revision = print\n", "revision = 1\n",
        "\"\"\"doc\"\"\".strip()\nrevision = 'a'\n", "revision = 'a'\f\n"}) {
    EXPECT_FALSE(check_all(text)) << text;
  }
}

// ALEMBIC_FAST_SEED and ALEMBIC_FAST_RUNS widen the search when hunting a bug.
TEST(ParserFast, GeneratedMigrationsAgreeWithTreeSitter) {
  const char* seed = std::getenv("ALEMBIC_FAST_SEED");
  const char* runs_env = std::getenv("ALEMBIC_FAST_RUNS");
  Generator gen(seed ? static_cast<unsigned>(std::atoi(seed)) : 20261203u);
  const int runs = runs_env ? std::atoi(runs_env) : 3000;
  int read = 0;
  for (int i = 0; i < runs; ++i) {
    const std::string text = gen.file();
    if (check_all(text)) ++read;
    if (::testing::Test::HasFailure()) break;
  }
  std::printf("[ fast     ] %d of %d generated migrations read without tree-sitter\n", read, runs);
  // Both sides must be exercised: files the shortcut reads and files it leaves.
  EXPECT_GT(read, runs / 10);
  EXPECT_LT(read, runs - runs / 10);
}

TEST(ParserFast, RepositoryMigrationsAgree) {
  namespace fs = std::filesystem;
  int files = 0, read = 0;
  for (const char* dir : {"examples", "tests/fuzz/corpus/parser"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(ALEMBIC_SOURCE_DIR) / dir)) {
      if (!e.is_regular_file()) continue;
      if (std::string(dir) == "examples" && e.path().extension() != ".py") continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream buf;
      buf << in.rdbuf();
      ++files;
      if (check_all(buf.str())) ++read;
    }
  }
  std::printf("[ fast     ] %d of %d repository files read without tree-sitter\n", read, files);
  EXPECT_GT(files, 40);
  EXPECT_GT(read, 0);
}
