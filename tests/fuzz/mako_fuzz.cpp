// script.py.mako: the Mako subset renderer on any template, with Alembic's merge
// variables and with a set holding every kind of value. A render either succeeds or
// says why not ("line N: ..."); plain text (nothing Mako reads specially) comes out
// unchanged; render_merge_script uses the template or says why it fell back to the default.
#include <cstdint>
#include <string>
#include <string_view>

#include "analysis/mako.h"
#include "analysis/merge.h"
#include "fuzz_support.h"

using namespace alembic;

namespace {

mako::Variables every_kind() {
  mako::Variables v;
  v["undefined"] = mako::Value::undefined();
  v["none"] = mako::Value::none();
  v["yes"] = mako::Value::boolean(true);
  v["no"] = mako::Value::boolean(false);
  v["s"] = mako::Value::str("it's \"quoted\" \\ \xC3\xA9\n");
  v["empty"] = mako::Value::str("");
  v["t"] = mako::Value::tuple({"a1", "b'2", ""});
  v["t0"] = mako::Value::tuple({});
  v["comma"] = mako::Value::comma_filter();
  v["obj"] = mako::Value::opaque("2024-05-01 12:00:00");
  v["config"] = mako::Value::opaque(std::nullopt);
  return v;
}

// Text Mako copies through as is: no `$`, `%`, `<`, `#` or `\`, printable ASCII and '\n'.
bool is_plain(std::string_view t) {
  for (char c : t) {
    if (c == '$' || c == '%' || c == '<' || c == '#' || c == '\\') return false;
    if (c != '\n' && (c < 0x20 || c > 0x7E)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16 * 1024) return 0;
  std::string_view tmpl(reinterpret_cast<const char*>(data), size);
  static const mako::Variables kinds = every_kind();

  std::string why;
  auto rendered = mako::render(tmpl, kinds, &why);
  if (!rendered) {
    FUZZ_CHECK(why.rfind("line ", 0) == 0, "a refusal that does not name its line: '" + why + "'");
  } else if (is_plain(tmpl)) {
    FUZZ_CHECK(*rendered == tmpl, "plain text changed by rendering:\n" + *rendered);
  }

  MergeScript script;
  script.message = "merge 'heads' \xC3\xA9";
  script.revision = "ae1027a6acf1";
  script.parents = {"1975ea83b712", "27c6a30d7c24"};
  script.create_date = "2024-05-01 12:34:56.123456";
  std::string reason;
  std::string merged = render_merge_script(tmpl, script, &reason);
  if (rendered && is_plain(tmpl)) FUZZ_CHECK(merged == tmpl, "plain template not used as is");
  if (reason.empty()) {
    auto direct = render_script_template(tmpl, script, &why);
    FUZZ_CHECK(direct && *direct == merged, "the template was used but does not render alone");
  } else {
    FUZZ_CHECK(merged == render_merge_script(std::nullopt, script),
               "a fallback other than the default template");
    FUZZ_CHECK(reason.rfind("script.py.mako line ", 0) == 0,
               "a fallback reason without a line: " + reason);
  }
  script.parents = {"only"};
  script.message.clear();
  (void)render_script_template(tmpl, script, &why);
  return 0;
}
