// Properties of the parser over sample migrations and seeded random edits:
// incremental document == fresh document == parse_migration. (The cold-path cost per
// file is measured by bench/parser_micro.cpp, not here.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "analysis/parser.h"
#include "parse_test_support.h"
#include "parser_edit_snippets.h"
#include "parser_samples.h"

using namespace alembic;
using alembic::testing::kAnnotated;
using alembic::testing::kTemplate18;
using alembic::testing::same;

namespace {

const std::string kCrlfBom =
    "\xEF\xBB\xBF\"\"\"Ajout\xC3\xA9 \xF0\x9F\x8E\x89\r\n\r\nRevision ID: 0088_x\r\n"
    "Revises: 0087_y\r\n\"\"\"\r\nrevision = '0088_x'\r\ndown_revision = \"0087_y\", \\\r\n"
    "    '0086_z'\r\nbranch_labels = 'kilo'\r\ndepends_on = ()\r\n\r\ndef upgrade():\r\n"
    "\top.execute('x')\r\n";

const char* const kBroken = R"PY("""broken file

Revision ID: b1
Revises:
"""
revision = 'b1'
down_revision = None

def upgrade():
    op.add_column('t', sa.Column('c', sa.Integer(),
    pass
)PY";

std::vector<std::string> samples() {
  return {kTemplate18, kAnnotated, kCrlfBom, kBroken};
}

// Snippets that keep the text close to Python (parser_edit_snippets.h), then a few more.
const std::vector<std::string> kSnippets = alembic::testing::edit_snippets(
    {}, {"\t", "if x:\n    ", "def f():\n", "\"\"\"doc\n\nRevision ID: d1\n\"\"\"\n",
         std::string(1, '\0'), "\xFF", "\xC3\xA9", "X = f()\n", "revision = \\\n  'cont'\n"});

struct Edit {
  uint32_t start, end;
  std::string text;
};

// A random edit: usually a snippet inserted or replacing a few bytes, sometimes a
// deletion, sometimes a whole line removed or inserted at a line start.
Edit random_edit(std::mt19937& rng, const std::string& text) {
  auto pick = [&](size_t n) { return static_cast<uint32_t>(n == 0 ? 0 : rng() % n); };
  const uint32_t size = static_cast<uint32_t>(text.size());
  uint32_t at = pick(size + 1);
  Edit e{at, at, ""};
  switch (rng() % 6) {
    case 0:  // delete a few bytes
      e.end = std::min(size, at + 1 + pick(12));
      break;
    case 1: {  // delete or insert at a whole line
      size_t line = text.rfind('\n', at == 0 ? 0 : at - 1);
      e.start = e.end = line == std::string::npos ? 0 : static_cast<uint32_t>(line + 1);
      if (rng() % 2) {
        size_t nl = text.find('\n', e.start);
        e.end = nl == std::string::npos ? size : static_cast<uint32_t>(nl + 1);
      } else {
        e.text = kSnippets[pick(5)];
      }
      break;
    }
    case 2:  // replace a few bytes
      e.end = std::min(size, at + pick(4));
      e.text = kSnippets[pick(kSnippets.size())];
      break;
    default:  // insert
      e.text = kSnippets[pick(kSnippets.size())];
      break;
  }
  return e;
}

}  // namespace

TEST(ParserProperty, SamplesAgree) {
  for (const std::string& s : samples()) alembic::testing::parse_both(s);
}

// ALEMBIC_PARSER_SEED and ALEMBIC_PARSER_RUNS widen the search when hunting a bug.
int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

TEST(ParserProperty, IncrementalEqualsFreshEqualsColdPath) {
  std::mt19937 rng(static_cast<unsigned>(env_int("ALEMBIC_PARSER_SEED", 20240501)));
  const int runs = env_int("ALEMBIC_PARSER_RUNS", 40);
  int states = 0, clean = 0;
  for (const std::string& sample : samples()) {
    for (int run = 0; run < runs; ++run) {
      MigrationDocument doc(sample);
      std::string text = sample;
      const int steps = 1 + static_cast<int>(rng() % 12);
      for (int step = 0; step < steps; ++step) {
        Edit e = random_edit(rng, text);
        doc.edit(e.start, e.end, e.text);
        text.replace(e.start, e.end - e.start, e.text);
        ASSERT_EQ(doc.text(), text);
        MigrationDocument fresh(text);
        ParsedMigration cold = parse_migration(text);
        ASSERT_TRUE(same(doc.parsed(), fresh.parsed())) << "incremental vs fresh, text:\n" << text;
        ASSERT_TRUE(same(fresh.parsed(), cold)) << "document vs parse_migration, text:\n" << text;
        ++states;
        if (cold.syntax_errors.empty() && cold.revision.present) ++clean;
      }
    }
  }
  std::printf("[ property ] %d edited states compared, %d without syntax errors\n", states, clean);
  EXPECT_GT(clean, states / 5);  // the error-free path must be exercised too
}

TEST(ParserProperty, EditsThatChangeLineCounts) {
  MigrationDocument doc(kAnnotated);
  std::string text = kAnnotated;
  const std::string ins = "\n\n# moved\n";
  const uint32_t at = static_cast<uint32_t>(text.find("revision: str"));
  doc.edit(at, at, ins);
  text.insert(at, ins);
  EXPECT_TRUE(same(doc.parsed(), parse_migration(text)));
  EXPECT_EQ(doc.parsed().revision.name_range.start_line, 21u);
  const uint32_t from = static_cast<uint32_t>(text.find("BASE,"));
  const uint32_t to = static_cast<uint32_t>(text.find(")", from)) + 1;
  doc.edit(from, to, "'z1', 'z2')");
  text.replace(from, to - from, "'z1', 'z2')");
  EXPECT_TRUE(same(doc.parsed(), parse_migration(text)));
  EXPECT_EQ(alembic::testing::strings(doc.parsed().down_revision),
            (std::vector<std::string>{"z1", "z2"}));
}
