// The Mako subset renderer. Unit tests pin each construct; the parity test at the end
// renders every supported case with the real Mako (Debian python3-mako, a dependency of
// python3-alembic) and requires identical output, and identical failure.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/mako.h"

#include "process_test_support.h"

namespace alembic::mako {
namespace {

namespace fs = std::filesystem;

Variables sample_variables() {
  Variables v;
  v["message"] = Value::str("Add 'users' table — ünïcode \"q\"");
  v["up_revision"] = Value::str("abc123def456");
  v["down"] = Value::tuple({"aaa", "bbb", "ccc"});
  v["one"] = Value::str("aaa");
  v["none"] = Value::none();
  v["s"] = Value::str(" \t padded\u3000 ");
  v["e"] = Value::str("");
  v["yes"] = Value::boolean(true);
  v["no"] = Value::boolean(false);
  v["comma"] = Value::comma_filter();
  v["create_date"] = Value::opaque("2024-05-01 12:34:56.123456");
  v["config"] = Value::opaque(std::nullopt);
  v["upgrades"] = Value::undefined();
  v["imports"] = Value::undefined();
  return v;
}

std::string render_ok(std::string_view tmpl) {
  std::string why;
  auto out = render(tmpl, sample_variables(), &why);
  EXPECT_TRUE(out.has_value()) << why << "\n--- template:\n" << tmpl;
  return out.value_or("<failed>");
}

std::string failure(std::string_view tmpl) {
  std::string why;
  auto out = render(tmpl, sample_variables(), &why);
  EXPECT_FALSE(out.has_value()) << "rendered: " << out.value_or("");
  return why;
}

TEST(Mako, PlainTextAndExpressions) {
  EXPECT_EQ(render_ok("a ${message} b"), "a Add 'users' table — ünïcode \"q\" b");
  EXPECT_EQ(render_ok("${ up_revision }"), "abc123def456");
  EXPECT_EQ(render_ok("${repr(up_revision)}"), "'abc123def456'");
  EXPECT_EQ(render_ok("${repr(message)}"), "'Add \\'users\\' table — ünïcode \"q\"'");
  EXPECT_EQ(render_ok("${repr(down)}|${down}"), "('aaa', 'bbb', 'ccc')|('aaa', 'bbb', 'ccc')");
  EXPECT_EQ(render_ok("${repr(none)} ${none} ${yes} ${repr(no)}"), "None None True False");
  EXPECT_EQ(render_ok("${create_date}"), "2024-05-01 12:34:56.123456");
  EXPECT_EQ(render_ok("${'a' \"b\"}${str(one)}"), "abaaa");
}

TEST(Mako, CommaFilterAndN) {
  EXPECT_EQ(render_ok("${down | comma,n}"), "aaa, bbb, ccc");
  EXPECT_EQ(render_ok("${one | comma,n}"), "aaa");
  EXPECT_EQ(render_ok("${none | comma,n}"), "");
  // without n, str() runs first and comma() returns the str unchanged
  EXPECT_EQ(render_ok("${down | comma}"), "('aaa', 'bbb', 'ccc')");
  EXPECT_EQ(render_ok("${none|comma}"), "None");
  EXPECT_EQ(render_ok("${comma(down)}"), "aaa, bbb, ccc");
  EXPECT_EQ(render_ok("${one | n}"), "aaa");
}

TEST(Mako, TrimAndStrFilters) {
  EXPECT_EQ(render_ok("[${s | trim}]"), "[padded]");
  EXPECT_EQ(render_ok("[${s | trim,n}]"), "[padded]");
  EXPECT_EQ(render_ok("[${none | str,trim}]"), "[None]");
}

TEST(Mako, ConditionalExpressionsAndUndefined) {
  EXPECT_EQ(render_ok("${upgrades if upgrades else \"pass\"}"), "pass");
  EXPECT_EQ(render_ok("${imports if imports else \"\"}"), "");
  EXPECT_EQ(render_ok("${message if no else 'x' if none else 'y'}"), "y");
  EXPECT_EQ(render_ok("${not upgrades} ${e or 'default'} ${one and 'both'} ${e and 'z'}"),
            "True default both ");
  EXPECT_EQ(render_ok("${(none or down) | comma,n}"), "aaa, bbb, ccc");
}

TEST(Mako, IfElifElseEndif) {
  const std::string t =
      "a\n% if no:\nB\n% elif down:\nC ${one}\n  % if yes:\nD\n  % endif\n"
      "% else:\nE\n% endif\nz\n";
  EXPECT_EQ(render_ok(t), "a\nC aaa\nD\nz\n");
  EXPECT_EQ(render_ok("% if upgrades:\nX\n% else:\nY\n% endif"), "Y\n");
  EXPECT_EQ(render_ok("% if no or \\\n   yes:  # why not\nX\n%endif\n"), "X\n");
  EXPECT_EQ(render_ok("a\r\n% if yes:\r\nb\r\n% endif\r\n"), "a\r\nb\r\n");
}

TEST(Mako, CommentsContinuationsAndPercentEscapes) {
  EXPECT_EQ(render_ok("a\n## comment ${undefined_name}\n  ## indented\nb ## kept\n"),
            "a\nb ## kept\n");
  EXPECT_EQ(render_ok("x = 1 + \\\n2\n"), "x = 1 + 2\n");
  EXPECT_EQ(render_ok("a\\\\\nb"), "a\\b");
  // Mako 1.2 drops the first character of a line that starts with [ \t]*%%
  EXPECT_EQ(render_ok("x\n%% y\n  %% z\n%%%w\n"), "x\n% y\n %% z\n%%w\n");
  EXPECT_EQ(render_ok("%% at the very start"), "%% at the very start");
  EXPECT_EQ(render_ok("50% of it\n"), "50% of it\n");
}

TEST(Mako, TextDocAndEncodingLine) {
  EXPECT_EQ(render_ok("<%text>${x}\n% for\n</%text>!"), "${x}\n% for\n!");
  EXPECT_EQ(render_ok("<%doc>\n${nothing}\n</%doc>\nz"), "\nz");
  EXPECT_EQ(render_ok("# -*- coding: utf-8 -*-\nbody\n"), "body\n");
  EXPECT_EQ(render_ok("\xEF\xBB\xBF"
                      "bom\n"),
            "bom\n");
  EXPECT_EQ(render_ok("a <& b"), "a & b");
}

TEST(Mako, UnsupportedConstructsSayWhatAndWhere) {
  EXPECT_NE(failure("x\n<%!\nimport re\n%>\n").find("line 2: unsupported construct `<%!`"),
            std::string::npos);
  EXPECT_NE(failure("<% x = 1 %>").find("line 1: unsupported construct `<% `"), std::string::npos);
  EXPECT_NE(failure("a\n% for d in down:\n${d}\n% endfor\n")
                .find("line 2: unsupported control line `% for`"),
            std::string::npos);
  EXPECT_NE(failure("${len(down)}").find("unknown function `len`"), std::string::npos);
  EXPECT_NE(failure("\n\n${down[0]}").find("line 3: unsupported Python syntax `[0]`"),
            std::string::npos);
  EXPECT_NE(failure("${foo}").find("unknown name `foo`"), std::string::npos);
  EXPECT_NE(failure("${message | h}").find("unsupported filter `h`"), std::string::npos);
  EXPECT_NE(failure("${config}").find("str() of an object"), std::string::npos);
  EXPECT_NE(failure("${repr(create_date)}").find("repr()"), std::string::npos);
  EXPECT_NE(failure("<%def name='f()'>x</%def>").find("unsupported tag `<%def`"),
            std::string::npos);
  EXPECT_NE(failure("${x == 1}").find("unsupported Python syntax `== 1`"), std::string::npos);
}

TEST(Mako, WhatMakoRejectsFailsToo) {
  EXPECT_NE(failure("a\n\n${upgrades}").find("line 3: str() of an undefined name"),
            std::string::npos);
  EXPECT_NE(failure("${none | n}").find("not a str"), std::string::npos);
  EXPECT_NE(failure("% if yes:\nA\n").find("line 1: `% if` without `% endif`"), std::string::npos);
  EXPECT_NE(failure("% endif\n").find("without `% if`"), std::string::npos);
  EXPECT_NE(failure("% else:\n").find("without a matching `% if`"), std::string::npos);
  EXPECT_NE(failure("% if yes:\n% else:\n% else:\n% endif\n").find("line 3"), std::string::npos);
  EXPECT_NE(failure("%\n").find("invalid control line"), std::string::npos);
  EXPECT_NE(failure("% if yes\nA\n% endif\n").find("expected `:`"), std::string::npos);
  EXPECT_NE(failure("${message").find("without a closing"), std::string::npos);
  EXPECT_NE(failure("ok \xE9\n").find("line 1: the template is not valid UTF-8"),
            std::string::npos);
  // inactive branches are still parsed, like Mako compiles the whole template
  EXPECT_FALSE(render("% if no:\n${a[1]}\n% endif\n", sample_variables()).has_value());
}

TEST(Mako, LongChainsAndDeepNesting) {
  // An `or`/`and` chain is one node, evaluated left to right like Python's BoolOp.
  std::string chain = "${";
  for (int i = 0; i < 5000; ++i) chain += "e or no or ";
  EXPECT_EQ(render_ok(chain + "one}"), "aaa");
  chain = "${";
  for (int i = 0; i < 5000; ++i) chain += "yes and one and ";
  EXPECT_EQ(render_ok(chain + "'last'}"), "last");
  EXPECT_EQ(render_ok(chain + "e}"), "");
  EXPECT_EQ(render_ok("${e or no and yes or (one and not e) or 'z'}"), "True");

  // Nesting (brackets, `not`, calls, conditionals) is followed up to 200 levels and
  // refused beyond, with its line: the parser and the evaluator recurse once per level,
  // and 100,000 levels overflowed the stack.
  const auto repeat = [](std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  EXPECT_EQ(render_ok("${" + repeat("(", 150) + "one" + repeat(")", 150) + "}"), "aaa");
  EXPECT_EQ(render_ok("${" + repeat("not ", 150) + "e}"), "False");
  const std::string deep = "an expression nested more than 200 levels deep";
  EXPECT_NE(failure("\n${" + repeat("(", 100000) + "one" + repeat(")", 100000) + "}")
                .find("line 2: " + deep),
            std::string::npos);
  EXPECT_NE(failure("% if " + repeat("not ", 100000) + "no:\nX\n% endif\n").find("line 1: " + deep),
            std::string::npos);
  EXPECT_NE(failure("${" + repeat("str(", 100000) + "one" + repeat(")", 100000) + "}").find(deep),
            std::string::npos);
  EXPECT_NE(failure("${" + repeat("one if yes else ", 100000) + "e}").find(deep),
            std::string::npos);
}

// ---------------------------------------------------------------- parity with real Mako

struct Outcome {
  bool ok = false;
  std::string text;  // output, or the Python error
};

using process_test::hex;
using process_test::python_candidates;
using process_test::read_file;
using process_test::run;
using process_test::unhex;

// The Python that has Alembic and Mako: $ALEMBIC_LSP_PYTHON, /usr/bin/python3, python3.
std::string find_python(const fs::path& scratch) {
  for (const std::string& py : python_candidates())
    if (run({py, "-c", "import alembic, mako"}, scratch / "probe.txt") == 0) return py;
  return "";
}

constexpr const char* kRunner = R"py(
import sys, glob
from mako.template import Template
from alembic.util import format_as_comma
class Opaque:
    def __init__(self, text): self.text = text
    def __str__(self): return self.text
kw = dict(message=bytes.fromhex(sys.argv[2]).decode(), up_revision="abc123def456",
          down=("aaa", "bbb", "ccc"), one="aaa", none=None, s=" \t padded\u3000 ", e="",
          yes=True, no=False, comma=format_as_comma,
          create_date=Opaque("2024-05-01 12:34:56.123456"), config=object())
for i in range(int(sys.argv[3])):
    try:
        out = Template(filename="%s/case%d.mako" % (sys.argv[1], i)).render_unicode(**kw)
        print("OK " + out.encode().hex())
    except Exception as e:
        print("ERR " + ("%s: %s" % (type(e).__name__, e)).encode().hex())
)py";

std::vector<Outcome> render_with_real_mako(const std::vector<std::string>& templates) {
  const fs::path dir = fs::temp_directory_path() / ("mako_parity_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string python = find_python(dir);
  EXPECT_FALSE(python.empty())
      << "No Python with Alembic and Mako found (tried $ALEMBIC_LSP_PYTHON, /usr/bin/python3, "
         "python3). Install Debian's python3-alembic (apt-get install python3-alembic).";
  if (python.empty()) return {};
  std::ofstream(dir / "runner.py") << kRunner;
  for (size_t i = 0; i < templates.size(); ++i)
    std::ofstream(dir / ("case" + std::to_string(i) + ".mako"), std::ios::binary) << templates[i];
  const int rc = run({python, (dir / "runner.py").string(), dir.string(),
                      hex(sample_variables().at("message").text), std::to_string(templates.size())},
                     dir / "out.txt");
  EXPECT_EQ(rc, 0) << read_file(dir / "out.txt.err");
  std::vector<Outcome> outcomes;
  std::istringstream lines(read_file(dir / "out.txt"));
  for (std::string line; std::getline(lines, line);)
    outcomes.push_back(
        {line.rfind("OK", 0) == 0, unhex(line.substr(std::min(line.size(), line.find(' ') + 1)))});
  fs::remove_all(dir);
  return outcomes;
}

TEST(MakoParity, SameOutputAsRealMako) {
  const std::vector<std::string> supported = {
      "plain\n",
      "${message}|${repr(message)}",
      "${down | comma,n}",
      "${down | comma}",
      "${down}",
      "${repr(down)}",
      "${one | comma,n}",
      "${none | comma,n}",
      "${none}${repr(none)}",
      "${none|comma}",
      "[${s | trim}][${s | trim,n}][${s|n}][${ s }]",
      "${upgrades if upgrades else \"pass\"}",
      "${imports if imports else ''}",
      "${not upgrades}${e or 'default'}${message and 'yes'}",
      "${'a' \"b\"}${'x\\ty\\u00e9\\x41\\101\\q'}",
      "${comma(down)}${str(down)}${repr(yes)}",
      "% if yes:\nA\n% elif no:\nB\n% else:\nC\n% endif\n",
      "% if no:\nA\n% elif down:\nB\n% else:\nC\n% endif",
      "  % if upgrades:\nA\n  % else:\n  B\n  %endif\n",
      "% if no or \\\n   yes:  # c\nX\n% endif\n",
      "a\n## comment\n  ## indented\nb ## not a comment\n",
      "x\n%% y\n  %% z\n\t%%w\n%%%v\n",
      "%% at the start",
      "a\\\nb\n",
      "a\\\\\nb",
      "a \\\r\nb\r\n",
      "<%text>${x}\n% if\n</%text>after\n",
      "<%doc>\nnothing ${x}\n</%doc>\nz",
      "a <& b",
      "a </& b",
      "# -*- coding: utf-8 -*-\nbody\n",
      "\xEF\xBB\xBF"
      "bom\n",
      "\xEF\xBB\xBF"
      "% if yes:\nbom if\n% endif\n",
      "${one | }",
      "${create_date}",
      "a\r\n% if yes:\r\nb\r\n% endif\r\n",
      "% if yes:\nA\n% endif",
      "50% off\n  100%\n",
      "${message if no else 'x' if none else 'y'}",
      "${(none or down) | comma,n}",
      "${e or no or none or 'last'}${e or one or 'x'}${one and yes and e and 'x'}",
      "${one and down and 'all'}${e or no and yes or (one and not e) or 'z'}",
      "% if yes:\n  % if no:\nA\n  % else:\nB\n  % endif\n% endif\n",
  };
  const std::vector<std::string> failing_in_mako = {
      "${upgrades}",    "${none | n}", "${down | n}", "${upgrades | comma,n}",
      "% if yes:\nA\n", "% endif\n",   "%\n",         "${message",
      "ok\n\xFF\n",
  };
  std::vector<std::string> all = supported;
  all.insert(all.end(), failing_in_mako.begin(), failing_in_mako.end());
  const std::vector<Outcome> real = render_with_real_mako(all);
  ASSERT_EQ(real.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    std::string why;
    const auto ours = render(all[i], sample_variables(), &why);
    if (i < supported.size()) {
      ASSERT_TRUE(real[i].ok) << "Mako failed on case " << i << ": " << real[i].text;
      EXPECT_TRUE(ours.has_value()) << "case " << i << ": " << why;
      EXPECT_EQ(ours.value_or("<nullopt>"), real[i].text) << "case " << i << ":\n" << all[i];
    } else {
      EXPECT_FALSE(real[i].ok) << "Mako rendered case " << i << ": " << real[i].text;
      EXPECT_FALSE(ours.has_value()) << "case " << i << " rendered: " << *ours;
    }
  }
}

}  // namespace
}  // namespace alembic::mako
