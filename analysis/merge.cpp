// `alembic merge` output without Python. Behaviour follows alembic/script/base.py
// (generate_revision, _rev_path, _generate_create_date) of Alembic 1.8.1 and upstream main,
// which agree on everything here.
#include "analysis/merge.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>
#include <stdexcept>

#include "analysis/mako.h"
#include "analysis/python_repr.h"
#include "platform/system.h"

namespace alembic {
namespace {

// Alembic's default script.py.mako as shipped by upstream main
// (alembic/templates/generic/script.py.mako). Reproduced verbatim because it is the
// output format users expect `alembic merge` to produce (data/format compatibility);
// the byte-for-byte tests in tests/unit/analysis_merge_test.cpp render it with real Alembic.
constexpr std::string_view kDefaultScriptTemplate = R"mako("""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: Union[str, Sequence[str], None] = ${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}


def upgrade() -> None:
    """Upgrade schema."""
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Downgrade schema."""
    ${downgrades if downgrades else "pass"}
)mako";

// The values generate_revision passes to the template for a merge (and for `alembic
// revision` without a revision_environment, which adds branch_labels and depends_on):
// command.merge gives
// no imports/upgrades/downgrades (Mako's UNDEFINED: falsy, fails when printed) and
// `config` (a str in 1.8, a Config object upstream: truthy, its text unknown).
mako::Variables merge_variables(const MergeScript& script) {
  mako::Variables vars;
  vars["message"] = mako::Value::str(
      script.message.empty() && !script.keep_empty_message ? "empty message" : script.message);
  vars["up_revision"] = mako::Value::str(script.revision);
  // revision.tuple_rev_as_scalar: () -> None, (a,) -> 'a', else the tuple.
  vars["down_revision"] = script.parents.empty()       ? mako::Value::none()
                          : script.parents.size() == 1 ? mako::Value::str(script.parents[0])
                                                       : mako::Value::tuple(script.parents);
  // util.to_tuple(branch_labels) and tuple_rev_as_scalar(resolved depends_on, a list).
  vars["branch_labels"] =
      script.branch_labels.empty() ? mako::Value::none() : mako::Value::tuple(script.branch_labels);
  vars["depends_on"] = script.depends_on.empty()       ? mako::Value::none()
                       : script.depends_on.size() == 1 ? mako::Value::str(script.depends_on[0])
                                                       : mako::Value::list(script.depends_on);
  vars["create_date"] = mako::Value::opaque(script.create_date);  // a datetime in Alembic
  vars["comma"] = mako::Value::comma_filter();
  vars["config"] = mako::Value::opaque(std::nullopt);
  for (const char* name : {"imports", "upgrades", "downgrades"})
    vars[name] = mako::Value::undefined();
  return vars;
}

// Local time, as Alembic's datetime.now(). Alembic's `timezone` ini option (a named zone
// via zoneinfo/dateutil) is not modelled; callers wanting it must pass a shifted time.
std::tm local_tm(std::chrono::system_clock::time_point when) {
  const std::time_t t =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(when));
  std::tm tm{};
  if (!platform::local_time(t, tm))
    throw std::runtime_error("cannot convert the time to local time");
  return tm;
}

// One `%(key)<flags><width><.precision><conversion>` of Python's printf-style formatting.
struct FormatSpec {
  std::string flags;
  int width = -1;
  int precision = -1;
  char conversion = 's';
};

// Pads a str conversion like Python: width and precision count code points.
std::string format_str(const std::string& value, const FormatSpec& spec) {
  std::u32string text = python::decode_utf8(value);
  if (spec.precision >= 0 && text.size() > static_cast<size_t>(spec.precision))
    text.resize(static_cast<size_t>(spec.precision));
  std::string out = python::encode_utf8(text);
  const size_t pad = spec.width > 0 && text.size() < static_cast<size_t>(spec.width)
                         ? static_cast<size_t>(spec.width) - text.size()
                         : 0;
  const bool left = spec.flags.find('-') != std::string::npos;
  return left ? out + std::string(pad, ' ') : std::string(pad, ' ') + out;
}

std::string format_int(long long value, const FormatSpec& spec) {
  std::string c_format = "%" + spec.flags;
  if (spec.width >= 0) c_format += std::to_string(spec.width);
  if (spec.precision >= 0) c_format += "." + std::to_string(spec.precision);
  c_format += "ll";
  c_format += (spec.conversion == 'i' || spec.conversion == 'u') ? 'd' : spec.conversion;
  char buffer[128];
  // The format is built from a checked spec, never from user text alone.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  std::snprintf(buffer, sizeof buffer, c_format.c_str(), value);
#pragma GCC diagnostic pop
  return buffer;
}

// Parses the spec after `%(key)`; returns the length consumed, 0 if it is not one.
size_t parse_spec(std::string_view s, FormatSpec& spec) {
  size_t i = 0;
  while (i < s.size() && std::string_view("#0- +").find(s[i]) != std::string_view::npos)
    spec.flags += s[i++];
  auto number = [&]() {
    int n = -1;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && n < 1000)
      n = (n < 0 ? 0 : n * 10) + (s[i++] - '0');
    return n;
  };
  spec.width = number();
  if (i < s.size() && s[i] == '.') {
    ++i;
    spec.precision = std::max(0, number());
  }
  while (i < s.size() && (s[i] == 'h' || s[i] == 'l' || s[i] == 'L')) ++i;  // Python ignores these
  if (i >= s.size() || std::string_view("sradiuxXo").find(s[i]) == std::string_view::npos) return 0;
  spec.conversion = s[i];
  return i + 1;
}

}  // namespace

std::string new_revision_id() {
  // uuid4().hex[-12:] is 48 random bits (the version and variant nibbles are further left).
  // A device per call (ids are made one at a time, by hand): a thread_local one would be
  // destroyed through freed storage when a thread ends in the MinGW build (emulated TLS
  // frees a thread's storage before its thread_local destructors run; see ts_python.cpp).
  std::random_device device;
  const uint64_t bits = (static_cast<uint64_t>(device()) << 32 | device()) & 0xFFFFFFFFFFFFull;
  char buffer[13];
  std::snprintf(buffer, sizeof buffer, "%012llx", static_cast<unsigned long long>(bits));
  return buffer;
}

std::string make_slug(std::string_view message, int truncate_slug_length) {
  const std::u32string text = python::decode_utf8(message);
  std::u32string joined;
  for (size_t i = 0; i < text.size();) {
    if (!python::is_word_char(text[i])) {
      ++i;
      continue;
    }
    if (!joined.empty()) joined += U'_';
    while (i < text.size() && python::is_word_char(text[i])) joined += text[i++];
  }
  std::u32string slug = python::lower(joined);
  const long n = truncate_slug_length == 0 ? 40 : truncate_slug_length;  // `or 40`
  const long size = static_cast<long>(slug.size());
  if (size > n) {
    // slug[:n].rsplit("_", 1)[0] + "_", with Python's slice rules for negative n.
    const long keep = n >= 0 ? n : std::max(0L, size + n);
    slug.resize(static_cast<size_t>(keep));
    const size_t underscore = slug.rfind(U'_');
    if (underscore != std::u32string::npos) slug.resize(underscore);
    slug += U'_';
  }
  return python::encode_utf8(slug);
}

std::string render_file_name(std::string_view file_template, std::string_view rev,
                             std::string_view slug, std::chrono::system_clock::time_point when) {
  // configparser turns the ini's `%%` into `%`; accept the raw and the interpolated form.
  std::string pattern;
  for (size_t i = 0; i < file_template.size(); ++i) {
    pattern += file_template[i];
    if (file_template.substr(i, 2) == "%%") ++i;
  }
  const std::tm tm = local_tm(when);
  const long long epoch = std::chrono::floor<std::chrono::seconds>(when.time_since_epoch()).count();
  const std::pair<std::string_view, long long> numbers[] = {
      {"epoch", epoch},     {"year", tm.tm_year + 1900LL}, {"month", tm.tm_mon + 1LL},
      {"day", tm.tm_mday},  {"hour", tm.tm_hour},          {"minute", tm.tm_min},
      {"second", tm.tm_sec}};
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const size_t close = pattern.substr(i, 2) == "%(" ? pattern.find(')', i) : std::string::npos;
    FormatSpec spec;
    const size_t used = close == std::string::npos
                            ? 0
                            : parse_spec(std::string_view(pattern).substr(close + 1), spec);
    if (pattern.compare(i, 2, "%%") == 0) {  // written `%%%%` in the raw ini form
      out += '%';
      ++i;
      continue;
    }
    if (used == 0) {  // not a conversion: kept as written (Python would raise)
      out += pattern[i];
      continue;
    }
    const std::string_view key = std::string_view(pattern).substr(i + 2, close - i - 2);
    const auto number = std::find_if(std::begin(numbers), std::end(numbers),
                                     [&](const auto& entry) { return entry.first == key; });
    const bool is_text = key == "rev" || key == "slug";
    if (!is_text && number == std::end(numbers)) {  // unknown key: Python raises KeyError
      out += pattern[i];
      continue;
    }
    const std::string text =
        is_text ? std::string(key == "rev" ? rev : slug) : std::to_string(number->second);
    if (spec.conversion == 'r' || spec.conversion == 'a') {
      out += format_str(is_text ? python::repr_str(text) : text, spec);
    } else if (spec.conversion == 's' || is_text) {  // %d of a str raises in Python
      out += format_str(text, spec);
    } else {
      out += format_int(number->second, spec);
    }
    i = close + used;
  }
  return out + ".py";
}

std::string python_datetime_str(std::chrono::system_clock::time_point when) {
  const std::tm tm = local_tm(when);
  const auto micros = std::chrono::floor<std::chrono::microseconds>(when) -
                      std::chrono::floor<std::chrono::seconds>(when);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out = buffer;
  if (micros.count() != 0) {
    std::snprintf(buffer, sizeof buffer, ".%06lld", static_cast<long long>(micros.count()));
    out += buffer;
  }
  return out;
}

std::string_view default_script_template() {
  return kDefaultScriptTemplate;
}

std::optional<std::string> render_script_template(std::string_view mako, const MergeScript& script,
                                                  std::string* why) {
  return mako::render(mako, merge_variables(script), why);
}

std::string render_merge_script(std::optional<std::string_view> project_template,
                                const MergeScript& script, std::string* fallback_reason) {
  if (fallback_reason) fallback_reason->clear();
  if (project_template) {
    std::string why;
    if (auto rendered = render_script_template(*project_template, script, &why)) return *rendered;
    if (fallback_reason) *fallback_reason = "script.py.mako " + why;
  }
  std::string why;
  auto rendered = render_script_template(default_script_template(), script, &why);
  if (!rendered) throw std::logic_error("the default script template failed to render: " + why);
  return *rendered;
}

std::string render_merge_script(std::optional<std::string_view> project_template,
                                const MergeScript& script) {
  return render_merge_script(project_template, script, nullptr);
}

}  // namespace alembic
