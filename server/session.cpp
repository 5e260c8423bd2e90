#include "server/session.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "analysis/findings.h"
#include "analysis/outside.h"
#include "analysis/project.h"
#include "analysis/settings.h"
#include "protocol/log.h"
#include "server/editor_settings.h"
#include "server/history_lookups.h"
#include "server/uri.h"
#include "server/watchers.h"

namespace alembic::server {

Session::Session(protocol::Endpoint& endpoint)
    : endpoint(endpoint), history(std::make_unique<HistoryLookups>(*this)) {}

Session::~Session() {
  // The indexer posts its result to the loop; it must finish before the session goes.
  if (indexer_.joinable()) indexer_.join();
  history.reset();
  file_watcher.reset();
  parent_watch.reset();
}

void Session::index_in_background() {
  uint64_t epoch = ++index_epoch_;
  std::vector<fs::path> roots = workspace.roots();
  std::string token = "alembic-lsp/index/" + std::to_string(epoch);
  bool progress = client.work_done_progress;
  if (progress) {
    endpoint.send_request("window/workDoneProgress/create", {{"token", token}}, [](const protocol::Reply&) {});
    endpoint.send_notification("$/progress", {{"token", token},
        {"value", {{"kind", "begin"}, {"title", "Indexing Alembic migrations"}, {"percentage", 0}}}});
  }
  if (indexer_.joinable()) indexer_.join();
  indexer_ = std::thread([this, epoch, roots, token, progress] {
    auto report = [&](size_t done, size_t total) {
      if (!progress || total == 0) return;
      endpoint.send_notification("$/progress", {{"token", token},
          {"value", {{"kind", "report"}, {"message", std::to_string(done) + "/" + std::to_string(total) + " environments"},
                     {"percentage", done * 100 / total}}}});
    };
    auto loaded = std::make_shared<std::vector<LoadedEnvironment>>(Workspace::load(roots, report));
    endpoint.post([this, epoch, loaded, token, progress] {
      if (progress) {
        endpoint.send_notification("$/progress", {{"token", token}, {"value", {{"kind", "end"}}}});
      }
      if (epoch != index_epoch_) return;  // a newer index replaced this one
      size_t revisions = 0;
      for (const auto& e : *loaded) revisions += e.scripts.size();
      std::string summary = "alembic-lsp: indexed " + std::to_string(loaded->size()) +
                            " environment(s), " + std::to_string(revisions) + " migration file(s)";
      spdlog::info("{}", summary);
      protocol::log_message(endpoint, protocol::MessageType::Info, summary);
      workspace.install(std::move(*loaded));
      indexed = true;
      changed();
    });
  });
}

void Session::reindex_now() {
  ++index_epoch_;
  workspace.reindex();
  indexed = true;
  line_indexes_.clear();
  changed();
}

void Session::set_editor_settings(const json& options) {
  Settings s = editor_settings(options);
  for (const Finding& f : s.problems) {
    spdlog::warn("{}", f.message);
    protocol::show_message(endpoint, protocol::MessageType::Warning, "alembic-lsp: " + f.message);
  }
  s.problems.clear();
  workspace.set_editor_settings(std::move(s));
}

void Session::changed() {
  if (file_watcher) {
    std::vector<std::pair<fs::path, bool>> dirs;
    for (const auto& root : workspace.roots()) dirs.emplace_back(root, false);
    for (const auto& env : workspace.environments()) {
      for (const auto& loc : env->environment.version_locations)
        dirs.emplace_back(loc, env->environment.recursive_version_locations);
      if (env->environment.config_path) dirs.emplace_back(env->environment.config_path->parent_path(), false);
    }
    std::sort(dirs.begin(), dirs.end());
    dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
    if (dirs != watched_dirs_) {
      file_watcher->watch(dirs);
      watched_dirs_ = std::move(dirs);
    }
  }
  publish_diagnostics();
  for (const auto& hook : after_change) hook();
}

const protocol::LineIndex& Session::line_index(const std::string& path) {
  auto it = line_indexes_.find(path);
  if (it == line_indexes_.end()) {
    auto index = std::make_shared<protocol::LineIndex>(workspace.text_of(path));
    it = line_indexes_.emplace(path, std::move(index)).first;
  }
  return *it->second;
}

void Session::invalidate(const std::string& path) { line_indexes_.erase(path); }

json Session::range(const std::string& path, const SourceRange& r) {
  const protocol::LineIndex& index = line_index(path);
  // Findings about a whole file (problems without a range) sit on their line's start.
  protocol::ByteRange bytes{r.start_byte, r.end_byte};
  if (r.start_byte == 0 && r.end_byte == 0 && r.start_line > 0) {
    bytes.start = bytes.end = index.line_start(r.start_line);
  }
  return index.range_of(bytes, encoding);
}

json Session::location(const std::string& path, const SourceRange& r) {
  return {{"uri", path_to_uri(path)}, {"range", range(path, r)}};
}

uint32_t Session::offset(const std::string& path, const json& position) {
  return static_cast<uint32_t>(line_index(path).offset_of(position.get<protocol::Position>(), encoding));
}

json Session::diagnostic(const Finding& f) {
  json d = {{"range", range(f.location.path, f.location.range)},
            {"severity", static_cast<int>(f.severity)},
            {"code", f.code},
            {"source", "alembic"},
            {"message", f.message}};
  if (client.related_information && !f.related.empty()) {
    json related = json::array();
    for (const auto& r : f.related)
      related.push_back({{"location", location(r.location.path, r.location.range)}, {"message", r.message}});
    d["relatedInformation"] = std::move(related);
  }
  json data = {{"revisions", f.revisions}};
  if (f.suggestion) data["suggestion"] = *f.suggestion;
  d["data"] = std::move(data);
  return d;
}

void Session::republish(const std::string& path) {
  std::string uri = path_to_uri(path);
  auto it = published_.find(uri);
  if (it != published_.end()) it->second = nullptr;  // differs from any array: resent
}

std::vector<Finding> Session::current_findings() {
  std::vector<Finding> out;
  // Problems of a settings file are reported once, however many environments share it,
  // with an expected-heads entry checked against every environment that reads the file.
  std::map<std::string, std::pair<const Settings*, std::vector<std::string>>> settings_files;
  // Missing parents defined outside their environment say where (built only when needed).
  std::optional<RevisionHomes> homes;
  for (const auto& env : workspace.environments()) {
    auto findings = environment_findings(env->environment, env->graph, env->problems,
                                         [](const fs::path& p) { return normal_path(p); });
    for (const auto& f : findings) {
      if (f.code != codes::kMissingRevision || homes) continue;
      homes.emplace();
      for (const auto& other : workspace.environments())
        homes->add(other->environment, other->scripts, [](const fs::path& p) { return normal_path(p); });
    }
    if (homes) homes->annotate(env->environment, env->scripts, findings);
    apply_settings(findings, env->settings);
    // Missing parents get what git knows about them (looked up in the background).
    if (history)
      for (auto& f : findings) history->annotate(*env, f);
    out.insert(out.end(), std::make_move_iterator(findings.begin()),
               std::make_move_iterator(findings.end()));
    if (env->settings.file) {
      auto& entry = settings_files[env->settings.file_name];
      entry.first = &env->settings;
      entry.second.push_back(env->environment.name);
    }
  }
  for (const auto& [file, entry] : settings_files) {
    std::vector<Finding> problems = entry.first->problems;
    for (Finding& f : unknown_environment_findings(*entry.first, entry.second))
      problems.push_back(std::move(f));
    apply_settings(problems, *entry.first);
    out.insert(out.end(), problems.begin(), problems.end());
  }
  return out;
}

json Session::diagnostics_of(const std::string& uri, std::vector<Finding> findings,
                             std::map<std::string, CachedDiagnostics>& next) {
  auto old = diagnostics_cache_.find(uri);
  if (old != diagnostics_cache_.end()) {
    CachedDiagnostics& c = old->second;
    bool same = c.encoding == encoding && c.related_information == client.related_information &&
                c.findings == findings;
    for (const auto& [path, index] : c.indexes) {
      if (!same) break;
      auto it = line_indexes_.find(path);
      same = index && it != line_indexes_.end() && it->second == index;
    }
    if (same) return next.emplace(uri, std::move(c)).first->second.diagnostics;
  }
  CachedDiagnostics c;
  c.encoding = encoding;
  c.related_information = client.related_information;
  c.diagnostics = json::array();
  std::vector<std::string> paths;
  for (const Finding& f : findings) {
    c.diagnostics.push_back(diagnostic(f));
    paths.push_back(f.location.path);
    if (client.related_information)
      for (const auto& r : f.related) paths.push_back(r.location.path);
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  for (std::string& path : paths) {
    auto it = line_indexes_.find(path);  // none (never expected): the entry is never reused
    c.indexes.emplace_back(std::move(path), it == line_indexes_.end() ? nullptr : it->second);
  }
  c.findings = std::move(findings);
  return next.insert_or_assign(uri, std::move(c)).first->second.diagnostics;
}

std::map<std::string, json> Session::diagnostics_by_uri() {
  // uri -> findings in order; files without any are left out
  std::map<std::string, std::vector<Finding>> by_uri;
  for (auto& f : current_findings()) by_uri[path_to_uri(f.location.path)].push_back(std::move(f));
  std::map<std::string, CachedDiagnostics> next;
  std::map<std::string, json> now;
  for (auto& [uri, findings] : by_uri) now.emplace(uri, diagnostics_of(uri, std::move(findings), next));
  diagnostics_cache_ = std::move(next);
  if (history) history->flush();  // lookups the annotations asked for
  return now;
}

void Session::publish_diagnostics() {
  std::map<std::string, json> now = diagnostics_by_uri();
  if (settings.pull_diagnostics) {
    // The client asks for them; tell it when they changed, if it can listen.
    if (history) history->flush();  // lookups the annotations asked for
    if (now == published_) return;
    published_ = std::move(now);
    if (client.diagnostic_refresh)
      endpoint.send_request("workspace/diagnostic/refresh", nullptr, [](const protocol::Reply&) {});
    return;
  }
  // Files that had diagnostics and no longer exist in any environment get cleared too.
  for (const auto& [uri, _] : published_)
    if (!now.count(uri)) now[uri] = json::array();

  for (auto& [uri, diagnostics] : now) {
    auto old = published_.find(uri);
    bool unchanged = old != published_.end() ? old->second == diagnostics : diagnostics.empty();
    if (unchanged) continue;
    endpoint.send_notification("textDocument/publishDiagnostics",
                               {{"uri", uri}, {"diagnostics", diagnostics}});
    if (diagnostics.empty()) {
      published_.erase(uri);
    } else {
      published_[uri] = diagnostics;
    }
  }
  if (history) history->flush();  // lookups the annotations asked for
}

}  // namespace alembic::server
