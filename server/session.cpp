#include "server/session.h"

#include <algorithm>
#include <string_view>

#include <spdlog/spdlog.h>

#include "analysis/findings.h"
#include "protocol/log.h"
#include "server/editor_settings.h"
#include "server/head_files.h"
#include "server/history_lookups.h"
#include "server/rule_pages.h"
#include "server/uri.h"
#include "server/watch_set.h"
#include "server/watchers.h"

namespace alembic::server {

void to_json(json& out, const FindingData& value) {
  out = {{"revisions", value.revisions}};
  protocol::write_optional(out, "suggestion", value.suggestion);
}

Session::Session(protocol::Endpoint& endpoint)
    : endpoint(endpoint),
      core([loop = &endpoint](std::function<void()> work) { loop->post(std::move(work)); }) {
  core.findings_changed = [this] { publish_diagnostics(); };
}

Session::~Session() {
  core.shutdown();
  file_watcher.reset();
  parent_watch.reset();
}

void Session::index_in_background() {
  const std::string token = "alembic-lsp/index/" + std::to_string(++index_count_);
  const bool progress = client.work_done_progress;
  using Progress = protocol::WorkDoneProgress;
  if (progress) {
    endpoint.send_request("window/workDoneProgress/create",
                          protocol::WorkDoneProgressCreateParams{token},
                          [](const protocol::Reply&) {});
    endpoint.send_notification(
        "$/progress", protocol::ProgressParams{
                          token, {Progress::Kind::Begin, "Indexing Alembic migrations", "", 0}});
  }
  Core::IndexEvents events;
  if (progress) {
    events.progress = [this, token](size_t done, size_t total) {
      if (total == 0) return;
      endpoint.send_notification(
          "$/progress", protocol::ProgressParams{
                            token,
                            {Progress::Kind::Report, "",
                             std::to_string(done) + "/" + std::to_string(total) + " environments",
                             static_cast<unsigned>(done * 100 / total)}});
    };
    events.ended = [this, token] {
      endpoint.send_notification(
          "$/progress", protocol::ProgressParams{token, {Progress::Kind::End, "", "", {}}});
    };
  }
  events.installed = [this](const std::string& summary) {
    spdlog::info("alembic-lsp: {}", summary);
    protocol::log_message(endpoint, protocol::MessageType::Info, "alembic-lsp: " + summary);
    changed();
  };
  core.index_in_background(std::move(events));
}

void Session::reindex_now() {
  core.reindex_now();
  line_indexes_.clear();
  line_indexes_changed_ = true;
  changed();
}

void Session::set_editor_settings(const json& options) {
  Settings s = editor_settings(options);
  for (const Finding& f : s.problems) {
    spdlog::warn("{}", full_message(f));
    protocol::show_message(endpoint, protocol::MessageType::Warning,
                           "alembic-lsp: " + full_message(f));
  }
  core.set_editor_settings(std::move(s));
}

void Session::changed() {
  if (file_watcher) {
    std::vector<std::pair<fs::path, bool>> dirs = watched_directories(core.workspace());
    if (dirs != watched_dirs_) {
      file_watcher->watch(dirs);
      watched_dirs_ = std::move(dirs);
    }
  } else if (watch_registration_sent && client.watched_files_dynamic) {
    register_head_files();
  }
  core.changed();
}

void Session::register_head_files() {
  static constexpr char kId[] = "alembic-lsp/head-files";
  std::vector<std::string> globs = head_file_globs(core.workspace());
  if (globs == head_file_globs_) return;
  if (!head_file_globs_.empty())
    endpoint.send_request("client/unregisterCapability",
                          protocol::WatchedFilesUnregistrationParams{kId},
                          [](const protocol::Reply&) {});
  head_file_globs_ = std::move(globs);
  if (head_file_globs_.empty()) return;
  protocol::WatchedFilesRegistrationParams registration{kId, {}};
  for (const std::string& glob : head_file_globs_) registration.watchers.push_back({glob});
  endpoint.send_request(
      "client/registerCapability", registration, [](const protocol::Reply& reply) {
        if (!reply.ok())
          spdlog::warn("client refused to watch the head files ({})", reply.error->what());
      });
}

const protocol::LineIndex& Session::line_index(const std::string& path) {
  auto it = line_indexes_.find(path);
  if (it == line_indexes_.end()) {
    auto index = std::make_shared<protocol::LineIndex>(core.workspace().text_of(path));
    it = line_indexes_.emplace(path, std::move(index)).first;
  }
  return *it->second;
}

void Session::open_document(const std::string& path, std::string text) {
  invalidate(path);
  core.workspace().open_document(path, std::move(text));
  republish(path);
  changed();
}

void Session::change_document(
    const std::string& path, const std::vector<protocol::TextDocumentContentChangeEvent>& changes) {
  Workspace& workspace = core.workspace();
  const std::string* current = workspace.document_text(path);
  if (!current) {
    spdlog::warn("didChange for {}, which is not open; ignored", path);
    return;
  }
  // An edit that changed no value the analysis reads (the body of upgrade(), a
  // comment) changes no diagnostic of the history: their ranges are the same bytes, lines
  // and columns. The operation findings of an open migration may change (lint on).
  const uint64_t generation = workspace.generation();
  std::string text = *current;
  for (const protocol::TextDocumentContentChangeEvent& change : changes) {
    protocol::ByteEdit edit =
        protocol::apply_content_change(text, change.range, change.text, encoding);
    std::string_view inserted(text.data() + edit.start_byte, edit.new_end_byte - edit.start_byte);
    workspace.edit_document(path, static_cast<uint32_t>(edit.start_byte),
                            static_cast<uint32_t>(edit.old_end_byte), inserted);
  }
  invalidate(path);
  // The head file is no migration: its text changes its findings only (head_files.h).
  if (workspace.generation() != generation || is_head_file(workspace, path)) {
    changed();
  } else if (const EnvironmentState* env = workspace.environment_of(path);
             env && env->settings.lint.value_or("open") != "off") {
    core.operations_changed();
  }
}

void Session::close_document(const std::string& path) {
  core.workspace().close_document(path);
  invalidate(path);
  changed();
}

void Session::files_changed_on_disk(const std::vector<DiskChange>& changes) {
  for (const DiskChange& change : changes) {
    invalidate(change.path);
    if (change.deleted) {
      core.workspace().file_deleted_on_disk(change.path);
    } else {
      core.workspace().file_changed_on_disk(change.path);
    }
  }
  history().disk_changed();
  changed();
}

void Session::invalidate(const std::string& path) {
  if (line_indexes_.erase(path)) line_indexes_changed_ = true;
}

protocol::Range Session::range(const std::string& path, const SourceRange& r) {
  const protocol::LineIndex& index = line_index(path);
  // Findings about a whole file (problems without a range) sit on their line's start.
  protocol::ByteRange bytes{r.start_byte, r.end_byte};
  if (r.start_byte == 0 && r.end_byte == 0 && r.start_line > 0) {
    bytes.start = bytes.end = index.line_start(r.start_line);
  }
  return index.range_of(bytes, encoding);
}

protocol::Location Session::location(const std::string& path, const SourceRange& r) {
  return {path_to_uri(path), range(path, r)};
}

uint32_t Session::offset(const std::string& path, const protocol::Position& position) {
  return static_cast<uint32_t>(line_index(path).offset_of(position, encoding));
}

protocol::Diagnostic Session::diagnostic(const Finding& f) {
  protocol::Diagnostic d;
  d.range = range(f.location.path, f.location.range);
  d.severity = static_cast<int>(f.severity);
  d.code = f.code;
  d.source = "alembic";
  d.message = full_message(f, "\n");  // the first sentence on a line of its own
  d.code_description_href = rule_page_href(f.code);
  if (client.related_information)
    for (const auto& r : f.related)
      d.related_information.push_back({location(r.location.path, r.location.range), r.message});
  d.data = FindingData{f.revisions, f.suggestion};
  return d;
}

void Session::republish(const std::string& path) {
  std::string uri = path_to_uri(path);
  // Sent again even if unchanged (pull clients are told to ask again).
  if (published_.count(uri) || (settings.pull_diagnostics && diagnostics_cache_.count(uri)))
    republish_.insert(uri);
}

Session::CachedDiagnostics& Session::diagnostics_of(const std::string& uri,
                                                    std::vector<Finding> findings,
                                                    std::map<std::string, CachedDiagnostics>& next,
                                                    bool& rebuilt) {
  rebuilt = false;
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
    if (same) return next.emplace(uri, std::move(c)).first->second;
  }
  rebuilt = true;
  CachedDiagnostics c;
  c.encoding = encoding;
  c.related_information = client.related_information;
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
  // Rebuilt only because a line index changed, to the same JSON: nothing to send.
  if (old != diagnostics_cache_.end() && old->second.diagnostics == c.diagnostics) rebuilt = false;
  return next.insert_or_assign(uri, std::move(c)).first->second;
}

void Session::refresh_diagnostics(std::vector<std::string>& changed) {
  const DiagnosticsSource source{core.workspace().generation(),
                                 core.workspace().changes().position(), core.findings_version(),
                                 encoding, client.related_information};
  if (refreshed_from_ == source && !line_indexes_changed_) return;  // the same findings again
  // Findings come sorted by path within each environment: one URI conversion per run of
  // the same path, not per finding.
  std::map<std::string, std::vector<Finding>> by_uri;
  std::string last_path, last_uri;
  for (auto& f : core.current_findings()) {
    if (last_uri.empty() || f.location.path != last_path) {
      last_path = f.location.path;
      last_uri = path_to_uri(last_path);
    }
    by_uri[last_uri].push_back(std::move(f));
  }
  std::map<std::string, CachedDiagnostics> next;
  for (auto& [uri, findings] : by_uri) {
    bool rebuilt = false;
    diagnostics_of(uri, std::move(findings), next, rebuilt);
    if (rebuilt) changed.push_back(uri);
  }
  for (const auto& [uri, _] : diagnostics_cache_)  // the entries not moved to `next`: gone
    if (!next.count(uri)) changed.push_back(uri);
  diagnostics_cache_ = std::move(next);
  // Line indexes stay for the files the diagnostics point into. The others (deleted files,
  // files whose findings went away, files a request looked at) are dropped here and built
  // again when asked for: a session of hours would otherwise keep one per file it ever saw.
  std::set<std::string_view> used;
  for (const auto& [uri, cached] : diagnostics_cache_)
    for (const auto& [path, _] : cached.indexes) used.insert(path);
  std::erase_if(line_indexes_, [&used](const auto& entry) { return !used.count(entry.first); });
  refreshed_from_ = source;
  line_indexes_changed_ = false;
}

const std::vector<protocol::Diagnostic>& Session::diagnostics_of_uri(const std::string& uri) {
  std::vector<std::string> changed;
  refresh_diagnostics(changed);
  static const std::vector<protocol::Diagnostic> kNone;
  auto it = diagnostics_cache_.find(uri);
  return it == diagnostics_cache_.end() ? kNone : it->second.diagnostics;
}

std::map<std::string, std::vector<protocol::Diagnostic>> Session::diagnostics_by_uri() {
  std::vector<std::string> changed;
  refresh_diagnostics(changed);
  std::map<std::string, std::vector<protocol::Diagnostic>> now;
  for (const auto& [uri, cached] : diagnostics_cache_) now.emplace(uri, cached.diagnostics);
  return now;
}

void Session::publish_diagnostics() {
  std::vector<std::string> changed;
  refresh_diagnostics(changed);
  if (settings.pull_diagnostics) {
    // The client asks for them; tell it when they changed (or a file it opened has
    // some), if it can listen.
    const bool asked = !republish_.empty();
    republish_.clear();
    if (changed.empty() && !asked) return;
    if (client.diagnostic_refresh)
      endpoint.send_request("workspace/diagnostic/refresh", nullptr, [](const protocol::Reply&) {});
    return;
  }
  // Only URIs whose diagnostics were rebuilt, appeared or went, and those asked for again.
  for (const std::string& uri : republish_) changed.push_back(uri);
  republish_.clear();
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  for (const std::string& uri : changed) {
    auto it = diagnostics_cache_.find(uri);
    protocol::PublishDiagnosticsParams params{uri, {}};
    if (it != diagnostics_cache_.end()) params.diagnostics = it->second.diagnostics;
    const bool empty = params.diagnostics.empty();
    const bool had = published_.count(uri) > 0;
    if (empty && !had) continue;  // nothing shown, nothing to clear
    endpoint.send_notification("textDocument/publishDiagnostics", params);
    if (empty) {
      published_.erase(uri);
    } else {
      published_.insert(uri);
    }
  }
}

}  // namespace alembic::server
