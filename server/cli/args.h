// A small command-line argument reader: flags with values, repeated flags, positionals.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace alembic::cli {

/// A usage error; the message is shown after "alembic-lsp: ".
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What a subcommand accepts: flags that take a value and flags that do not.
struct ArgSpec {
  std::vector<std::string> valued;    ///< e.g. "--format", "-m"
  std::vector<std::string> switches;  ///< e.g. "--help"
};

struct Args {
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>> values;
  std::vector<std::string> switches_seen;

  bool has(const std::string& flag) const;
  std::optional<std::string> value(const std::string& flag) const;  ///< the last one given
};

/// Parses argv[first..]; `--flag=value` and `--flag value` both work; `--` ends flags.
/// Throws UsageError naming an unknown flag or a flag missing its value.
Args parse_args(const std::vector<std::string>& argv, const ArgSpec& spec);

}  // namespace alembic::cli
