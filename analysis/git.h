// A small layer over the `git` executable: runs it (found on PATH, never through a shell)
// with a timeout and captured output, and reads trees and blobs of a commit. Everything
// degrades to a value that says why: no git, not a repository, unknown ref.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/process.h"

namespace alembic::git {

/// What one run of git gave back (started, timed_out, cancelled, exit_code, out, err, error).
using RunResult = platform::ProcessResult;

inline constexpr std::chrono::milliseconds kDefaultTimeout{30000};

/// Runs `git -C <dir> <args...>` with `input` on its stdin. Prompts are off
/// (GIT_TERMINAL_PROMPT=0) and messages are in English (LC_ALL=C), so callers can tell
/// errors apart. Never throws for process failures: they are in the result. When
/// `cancel` is given, git is killed soon after it becomes true (and counts as timed out).
RunResult run(const std::filesystem::path& dir, const std::vector<std::string>& args,
              std::string_view input = {}, std::chrono::milliseconds timeout = kDefaultTimeout,
              const std::atomic<bool>* cancel = nullptr);

/// The top directory of the work tree holding `dir` (an existing directory).
/// nullopt with `why` ("git is not installed...", "... is not inside a git repository").
std::optional<std::filesystem::path> toplevel(const std::filesystem::path& dir, std::string* why);

/// The commit id `ref` names in the repository of `dir`, or nullopt when it names none.
std::optional<std::string> resolve_commit(const std::filesystem::path& dir, std::string_view ref);

/// One entry of a tree listing: a file (blob) or a symbolic link, with its path relative
/// to the listed directory ('/'-separated).
struct TreeEntry {
  std::string mode;    ///< "100644", "100755", "120000" (link), ...
  std::string type;    ///< "blob", "tree", "commit"
  std::string object;  ///< the object id
  std::string path;
};

/// The entries of `subdir` (relative to the repository's top, '/'-separated, "" for the
/// top) at commit `commit`: its direct entries, or every blob below it when `recursive`.
/// An empty list when the directory does not exist at that commit; nullopt with `why`
/// when git fails otherwise.
std::optional<std::vector<TreeEntry>> list_tree(const std::filesystem::path& repo_dir,
                                                std::string_view commit, std::string_view subdir,
                                                bool recursive, std::string* why);

/// The contents of blobs, in the order given (one `git cat-file --batch` run).
/// nullopt with `why` when git fails or an object is missing.
std::optional<std::vector<std::string>> read_blobs(const std::filesystem::path& repo_dir,
                                                   const std::vector<std::string>& objects,
                                                   std::string* why);

}  // namespace alembic::git
