// `check --format sarif`: a SARIF 2.1.0 log (OASIS), which GitHub code scanning and other
// tools import. One run; one rule per finding code; one result per finding.
#include <cctype>
#include <cstdio>

#include "analysis/finding_rules.h"
#include "analysis/findings.h"
#include "platform/path_text.h"
#include "server/cli/check_report.h"
#include "server/cli/report_formats.h"
#include "server/rule_pages.h"
#include "server/uri.h"

namespace alembic::cli {

namespace {

using nlohmann::ordered_json;

const char* level_of(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    default:
      return "note";
  }
}

// RFC 3986: everything but unreserved characters and '/' is percent-encoded.
std::string uri_escape(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    }
  }
  return out;
}

ordered_json rule_json(const FindingRule& rule) {
  std::string markdown = "**" + std::string(rule.title) + "**\n\n" + std::string(rule.full) +
                         "\n\n**How to fix:** " + std::string(rule.fix);
  ordered_json j = {{"id", rule.code},
                    {"name", rule.code},
                    {"shortDescription", {{"text", rule.title}}},
                    {"fullDescription", {{"text", rule.full}}}};
  // The rule page (server/rule_pages.h): the same href as the editor's codeDescription.
  if (auto href = server::rule_page_href(rule.code)) j["helpUri"] = *href;
  j["help"] = {{"text", std::string(rule.full) + "\n\nHow to fix: " + std::string(rule.fix)},
               {"markdown", markdown}};
  j["defaultConfiguration"] = {{"level", level_of(rule.default_severity)}};
  return j;
}

class ResultWriter {
 public:
  explicit ResultWriter(std::filesystem::path root) : root_(std::move(root)) {}

  ordered_json physical_location(const Location& where) {
    ordered_json artifact;
    if (auto rel = relative_to_root(where.path, root_)) {
      artifact = {{"uri", uri_escape(*rel)}, {"uriBaseId", "%SRCROOT%"}};
    } else {
      std::error_code ec;
      const auto abs =
          std::filesystem::absolute(platform::utf8_path(where.path), ec).lexically_normal();
      // A file URI in this system's form ("file:///c%3A/..." on Windows).
      artifact = {{"uri", server::path_to_uri(abs.string())}};
    }
    const SourceRange& r = where.range;
    ordered_json region = {
        {"startLine", r.start_line + 1},
        {"startColumn", columns_.column(where.path, r.start_line, r.start_column)},
        {"endLine", r.end_line + 1},
        {"endColumn", columns_.column(where.path, r.end_line, r.end_column)}};
    return {{"artifactLocation", artifact}, {"region", region}};
  }

  ordered_json result(const Finding& f, size_t rule_index) {
    ordered_json j;
    j["ruleId"] = f.code;
    j["ruleIndex"] = rule_index;
    j["level"] = level_of(f.severity);
    // SARIF shows the first sentence alone where space is short: it is Finding::message.
    j["message"] = {{"text", full_message(f)}};
    j["locations"] = ordered_json::array({{{"physicalLocation", physical_location(f.location)}}});
    if (!f.related.empty()) {
      ordered_json related = ordered_json::array();
      for (size_t k = 0; k < f.related.size(); ++k)
        related.push_back({{"id", k},
                           {"physicalLocation", physical_location(f.related[k].location)},
                           {"message", {{"text", f.related[k].message}}}});
      j["relatedLocations"] = std::move(related);
    }
    const std::string rel = relative_to_root(f.location.path, root_).value_or(f.location.path);
    j["partialFingerprints"] = {{"alembicLsp/v1", finding_fingerprint(f, rel)}};
    if (!f.revisions.empty()) j["properties"] = {{"revisions", f.revisions}};
    return j;
  }

 private:
  std::filesystem::path root_;
  Utf16Columns columns_;
};

}  // namespace

std::string finding_fingerprint(const Finding& finding, std::string_view relative_path) {
  // FNV-1a, 64 bits, over NUL-separated fields: stable across runs, machines and versions.
  uint64_t hash = 0xcbf29ce484222325ull;
  auto feed = [&](std::string_view text) {
    for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ull;
    hash = (hash ^ 0) * 0x100000001b3ull;
  };
  feed(finding.code);
  feed(relative_path);
  for (const std::string& id : finding.revisions) feed(id);
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
  return buffer;
}

ordered_json sarif_report(const std::vector<LoadedEnvironment>& envs) {
  const std::filesystem::path root = report_root();
  // Every known code is a rule, so a rule's index never depends on what was found.
  std::vector<std::string> rule_ids;
  ordered_json rules_json = ordered_json::array();
  for (const FindingRule& r : kFindingRules) {
    rule_ids.emplace_back(r.code);
    rules_json.push_back(rule_json(r));
  }

  ResultWriter writer(root);
  ordered_json results = ordered_json::array();
  for (const auto& env : envs) {
    for (const Finding& f : all_findings(env)) {
      size_t index = 0;
      while (index < rule_ids.size() && rule_ids[index] != f.code) ++index;
      if (index == rule_ids.size()) {  // a code without help: still a rule of its own
        static const std::string kNoHelp = "No description.";
        rule_ids.push_back(f.code);
        rules_json.push_back({{"id", f.code},
                              {"shortDescription", {{"text", f.code}}},
                              {"fullDescription", {{"text", kNoHelp}}},
                              {"help", {{"text", kNoHelp}, {"markdown", kNoHelp}}},
                              {"defaultConfiguration", {{"level", level_of(f.severity)}}}});
      }
      results.push_back(writer.result(f, index));
    }
  }

  ordered_json driver = {{"name", "alembic-lsp"},
                         {"version", ALEMBIC_LSP_VERSION},
                         {"semanticVersion", ALEMBIC_LSP_VERSION},
                         {"rules", std::move(rules_json)}};
  std::string root_uri = server::path_to_uri(root.string());
  if (!root_uri.ends_with('/')) root_uri += '/';
  ordered_json run = {{"tool", {{"driver", std::move(driver)}}},
                      {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", root_uri}}}}},
                      {"columnKind", "utf16CodeUnits"},
                      {"results", std::move(results)}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", ordered_json::array({std::move(run)})}};
}

}  // namespace alembic::cli
