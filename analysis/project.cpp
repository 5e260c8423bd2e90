#include "analysis/project.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "analysis/parser.h"

namespace alembic {

void parallel_for(size_t count, unsigned threads, const std::function<void(size_t)>& work) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // Small inputs are not worth a thread start.
  if (count < 64 || threads == 1) {
    for (size_t i = 0; i < count; ++i) work(i);
    return;
  }
  threads = static_cast<unsigned>(std::min<size_t>(threads, count));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    // Chunks keep the shared counter off the hot path.
    constexpr size_t kChunk = 16;
    for (;;) {
      size_t begin = next.fetch_add(kChunk);
      if (begin >= count) return;
      size_t end = std::min(count, begin + kChunk);
      for (size_t i = begin; i < end; ++i) work(i);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

LoadedEnvironment load_environment(const Environment& env, const PathNamer& name_path,
                                   const AnalysisOptions& options, unsigned threads) {
  LoadedEnvironment out;
  out.environment = env;
  std::vector<std::filesystem::path> files = list_migration_files(env, out.problems);

  std::vector<Script> scripts(files.size());
  std::vector<std::string> errors(files.size());
  parallel_for(files.size(), threads, [&](size_t i) {
    scripts[i].path = name_path(files[i]);
    try {
      scripts[i].parsed = parse_migration(read_file_bytes(files[i]));
    } catch (const std::exception& e) {
      errors[i] = e.what();
    }
  });

  out.scripts.reserve(scripts.size());
  for (size_t i = 0; i < scripts.size(); ++i) {
    if (!errors[i].empty()) {
      // A file that vanished or cannot be read is reported, never guessed at.
      out.problems.push_back({files[i], 0, errors[i], false});
      continue;
    }
    out.scripts.push_back(std::move(scripts[i]));
  }
  out.graph = analyze(out.scripts, options);
  return out;
}

}  // namespace alembic
