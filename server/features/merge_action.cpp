#include "server/features/merge_action.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "server/uri.h"

namespace alembic::server {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path, int error) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(error));
}

void write_all(int fd, std::string_view content, const fs::path& path) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write", path, errno);
    content.remove_prefix(static_cast<size_t>(n));
  }
}

// Opens a file that must not exist yet.
int create_exclusive(const fs::path& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string out;
  uint64_t bits = rng();
  for (int i = 0; i < 12; ++i, bits >>= 4) out += hex[bits & 15];
  return out;
}

void ensure_parent(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) throw std::runtime_error("cannot create " + path.parent_path().string() + ": " + ec.message());
}

}  // namespace

std::optional<MergePlan> plan_merge_for(Session& session, const std::string& path, std::string* why) {
  const EnvironmentState* env = session.workspace.environment_of(path);
  if (!env) {
    if (why) *why = path + " is not a migration of any Alembic environment in the workspace";
    return std::nullopt;
  }
  MergeOptions options;
  // Taken means: on disk, or known to the workspace (an unsaved editor buffer).
  options.path_taken = [&session, env](const fs::path& candidate) {
    std::error_code ec;
    const std::string p = normal_path(candidate);
    return fs::exists(fs::symlink_status(candidate, ec)) || env->script_index(p) >= 0 ||
           session.workspace.is_open(p);
  };
  const std::optional<std::string> mako = read_script_template(env->environment);
  std::optional<MergePlan> plan =
      plan_merge(env->environment, env->scripts, env->graph,
                 mako ? std::optional<std::string_view>(*mako) : std::nullopt, options, why);
  if (plan && !plan->template_note.empty())
    spdlog::warn("merge: using Alembic's default template: {}", plan->template_note);
  return plan;
}

std::string merge_title(const MergePlan& plan) {
  return "Merge " + std::to_string(plan.parents.size()) + " heads into a new migration";
}

json create_file_edit(const fs::path& target, const std::string& content) {
  const std::string uri = path_to_uri(target.string());
  const json origin = {{"start", {{"line", 0}, {"character", 0}}},
                       {"end", {{"line", 0}, {"character", 0}}}};
  return {{"documentChanges",
           json::array({{{"kind", "create"},
                         {"uri", uri},
                         {"options", {{"overwrite", false}, {"ignoreIfExists", false}}}},
                        {{"textDocument", {{"uri", uri}, {"version", nullptr}}},
                         {"edits", json::array({{{"range", origin}, {"newText", content}}})}}})}};
}

json create_file_edit(const MergePlan& plan) { return create_file_edit(plan.path, plan.content); }

json fill_file_edit(const MergePlan& plan, bool document_changes) {
  const std::string uri = path_to_uri(plan.path.string());
  const json origin = {{"start", {{"line", 0}, {"character", 0}}},
                       {"end", {{"line", 0}, {"character", 0}}}};
  const json edits = json::array({{{"range", origin}, {"newText", plan.content}}});
  if (document_changes)
    return {{"documentChanges",
             json::array({{{"textDocument", {{"uri", uri}, {"version", nullptr}}}, {"edits", edits}}})}};
  return {{"changes", {{uri, edits}}}};
}

void reserve_new_file(const fs::path& path) {
  ensure_parent(path);
  const int fd = create_exclusive(path);
  if (fd < 0) fail("cannot create", path, errno);
  ::close(fd);
}

void write_new_file(const fs::path& path, std::string_view content) {
  ensure_parent(path);
  // Not a migration name (no trailing .py), so neither Alembic nor a watcher loads it.
  const fs::path temp =
      path.parent_path() / ("." + path.filename().string() + "." + random_suffix() + ".tmp");
  const int fd = create_exclusive(temp);
  if (fd < 0) fail("cannot create", temp, errno);
  try {
    write_all(fd, content, temp);
    if (::fsync(fd) != 0) fail("cannot sync", temp, errno);
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  // link() never replaces an existing name (unlike rename), and publishes the whole file.
  if (::link(temp.c_str(), path.c_str()) == 0) {
    ::unlink(temp.c_str());
    return;
  }
  const int error = errno;
  ::unlink(temp.c_str());
  if (error == EEXIST) fail("refusing to overwrite", path, error);
  if (error != EPERM && error != ENOTSUP && error != EMLINK)
    fail("cannot create", path, error);
  // A file system without hard links: an exclusive create of the name itself.
  const int direct = create_exclusive(path);
  if (direct < 0) fail("cannot create", path, errno);
  try {
    write_all(direct, content, path);
  } catch (...) {
    ::close(direct);
    ::unlink(path.c_str());
    throw;
  }
  ::close(direct);
}

}  // namespace alembic::server
