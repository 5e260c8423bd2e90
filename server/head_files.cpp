#include "server/head_files.h"

#include <map>
#include <stdexcept>

#include "server/new_file.h"

namespace alembic::server {

namespace {

// The environments reading each settings file (by its path), in workspace order.
std::map<std::string, std::vector<const EnvironmentState*>> by_settings_file(
    const Workspace& workspace) {
  std::map<std::string, std::vector<const EnvironmentState*>> out;
  for (const auto& env : workspace.environments())
    if (env->settings.file &&
        (env->settings.head_file || !env->settings.head_file_by_environment.empty()))
      out[normal_path(*env->settings.file)].push_back(env.get());
  return out;
}

std::string name_of(const fs::path& p) {
  return normal_path(p);
}

}  // namespace

std::vector<HeadFile> workspace_head_files(const Workspace& workspace,
                                           std::vector<Finding>* problems) {
  std::vector<HeadFile> out;
  for (const auto& [file, envs] : by_settings_file(workspace)) {
    std::vector<HeadFileSubject> subjects;
    for (const EnvironmentState* env : envs) subjects.push_back({&env->environment, &env->graph});
    std::vector<HeadFile> files = head_files(envs.front()->settings, subjects, name_of, problems);
    out.insert(out.end(), std::make_move_iterator(files.begin()),
               std::make_move_iterator(files.end()));
  }
  return out;
}

std::vector<HeadFile> head_files_of(const Workspace& workspace, const EnvironmentState& env) {
  std::vector<HeadFile> out;
  for (HeadFile& file : workspace_head_files(workspace))
    for (const HeadFileSubject& s : file.subjects)
      if (s.environment == &env.environment) {
        out.push_back(std::move(file));
        break;
      }
  return out;
}

std::optional<std::string> head_file_text(const Workspace& workspace, const HeadFile& file,
                                          std::string* error) {
  if (error) error->clear();
  if (const std::string* open = workspace.document_text(file.path.string())) return *open;
  return read_head_file(file.path, error);
}

bool is_head_file(const Workspace& workspace, const std::string& path) {
  for (const HeadFile& file : workspace_head_files(workspace))
    if (normal_path(file.path) == path) return true;
  return false;
}

void replace_file(const fs::path& path, const std::string& content) {
  fs::path temporary = path;
  temporary += ".alembic-lsp-new";
  write_new_file(temporary, content);
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(temporary, ec);
    throw std::runtime_error("cannot replace " + path.string() + ": " + why);
  }
}

std::vector<Finding> head_file_findings(const Workspace& workspace) {
  std::vector<Finding> out;
  for (const auto& [settings_file, envs] : by_settings_file(workspace)) {
    std::vector<HeadFileSubject> subjects;
    for (const EnvironmentState* env : envs) subjects.push_back({&env->environment, &env->graph});
    const Settings& settings = envs.front()->settings;
    std::vector<Finding> findings;
    for (const HeadFile& file : head_files(settings, subjects, name_of, &findings)) {
      std::string error;
      const std::optional<std::string> text = head_file_text(workspace, file, &error);
      for (Finding& f : alembic::head_file_findings(file, text, error))
        findings.push_back(std::move(f));
    }
    apply_settings(findings, settings);
    out.insert(out.end(), findings.begin(), findings.end());
  }
  return out;
}

}  // namespace alembic::server
