#include "server/cli/args.h"

#include <algorithm>

namespace alembic::cli {

bool Args::has(const std::string& flag) const {
  return std::find(switches_seen.begin(), switches_seen.end(), flag) != switches_seen.end() ||
         values.count(flag) > 0;
}

std::optional<std::string> Args::value(const std::string& flag) const {
  auto it = values.find(flag);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

Args parse_args(const std::vector<std::string>& argv, const ArgSpec& spec) {
  auto contains = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  Args args;
  bool flags_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (flags_done || a.size() < 2 || a[0] != '-') {
      args.positionals.push_back(a);
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    std::string name = a;
    std::optional<std::string> inline_value;
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      name = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
    }
    if (contains(spec.valued, name)) {
      if (inline_value) {
        args.values[name].push_back(*inline_value);
      } else if (i + 1 < argv.size()) {
        args.values[name].push_back(argv[++i]);
      } else {
        throw UsageError("option " + name + " needs a value");
      }
    } else if (contains(spec.switches, name) && !inline_value) {
      args.switches_seen.push_back(name);
    } else {
      throw UsageError("unknown option " + a);
    }
  }
  return args;
}

}  // namespace alembic::cli
