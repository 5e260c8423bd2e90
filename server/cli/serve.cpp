// `alembic-lsp [serve] [--stdio | --listen PORT] [--log-file F] [--log-level L]`.
#include <iostream>

#include <spdlog/spdlog.h>

#include "protocol/log.h"
#include "protocol/transport.h"
#include "server/cli/args.h"
#include "server/cli/commands.h"
#include "server/rule_pages.h"
#include "server/server.h"

namespace alembic::cli {

namespace {

constexpr const char* kServeHelp =
    R"(usage: alembic-lsp [serve] [--stdio | --listen PORT] [--log-file FILE] [--log-level LEVEL]
                         [--rules-url URL]

Speaks the Language Server Protocol 3.17. Editors start it with no arguments.

options:
  --stdio            talk over stdin/stdout (the default)
  --listen PORT      serve one client over TCP on 127.0.0.1:PORT (0: pick a free port,
                     printed on stderr)
  --log-file FILE    append logs to FILE instead of stderr
  --log-level LEVEL  trace, debug, info, warn, error or off (default: info)
  --rules-url URL    link each diagnostic's code to URL/CODE.md instead of the rule pages
                     installed with alembic-lsp (also: ALEMBIC_LSP_RULES_URL)
  -h, --help         show this help

stdout carries protocol messages only; logs never go there.
)";

}  // namespace

int serve_command(const std::vector<std::string>& argv) {
  Args args = parse_args(
      argv, {{"--listen", "--log-file", "--log-level", "--clientProcessId", "--rules-url"},
             {"--help", "-h", "--stdio"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kServeHelp;
    return 0;
  }
  if (!args.positionals.empty())
    throw UsageError("serve takes no arguments, got '" + args.positionals[0] + "'");
  if (auto url = args.value("--rules-url")) server::set_rules_base_url(*url);
  protocol::LogOptions log;
  log.level = args.value("--log-level").value_or("info");
  log.file = args.value("--log-file").value_or("");
  if (!protocol::parse_log_level(log.level)) {
    throw UsageError("unknown --log-level '" + log.level +
                     "' (trace, debug, info, warn, error, off)");
  }
  try {
    protocol::setup_logging(log);
  } catch (const std::exception& e) {
    throw UsageError("cannot log to '" + log.file + "': " + e.what());
  }

  std::unique_ptr<protocol::ByteStream> stream;
  if (auto port = args.value("--listen")) {
    long n = -1;
    try {
      size_t used = 0;
      n = std::stol(*port, &used);
      if (used != port->size()) n = -1;
    } catch (const std::exception&) {
    }
    if (n < 0 || n > 65535)
      throw UsageError("--listen needs a port number 0-65535, got '" + *port + "'");
    stream = protocol::listen_tcp(static_cast<std::uint16_t>(n), [](std::uint16_t bound) {
      std::cerr << "alembic-lsp: listening on 127.0.0.1:" << bound << std::endl;
    });
  } else {
    stream = protocol::make_stdio_stream();
  }
  spdlog::info("alembic-lsp {} serving", ALEMBIC_LSP_VERSION);
  return server::serve(*stream);
}

}  // namespace alembic::cli
