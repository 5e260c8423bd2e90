// Micro-benchmark of the cold parse path: CPU time per call of the scanner,
// parse_migration and a fresh MigrationDocument on two realistic migrations (Alembic 1.8's
// template and a ~3 KB annotated migration). Prints figures, asserts nothing; built by
// `cmake --build build --target bench_parser_micro` and never run by ctest.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "../tests/unit/parser_samples.h"
#include "analysis/parser.h"
#include "analysis/python_scan.h"

using namespace alembic;

namespace {

// CPU time of this thread: other processes sharing the machine do not inflate it.
double cpu_micros() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::max(1, std::atoi(argv[1])) : 1000;  // calls per round
  // A typical annotated migration grown to about 3 KB with upgrade() lines.
  std::string annotated = testing::kAnnotated;
  std::string body;
  for (int i = 0; body.size() < 2200; ++i)
    body += "    op.add_column('account', sa.Column('c" + std::to_string(i) +
            "', sa.String(64), nullable=True))  # column " + std::to_string(i) + "\n";
  annotated.insert(annotated.find("    if op.get_context()"), body);
  for (const std::string& file : {std::string(testing::kTemplate18), annotated}) {
    size_t sink = 0;
    auto per_call = [&](auto&& f) {
      double best = 1e18;
      for (int round = 0; round < 3; ++round) {
        const double t0 = cpu_micros();
        for (int i = 0; i < n; ++i) f();
        best = std::min(best, (cpu_micros() - t0) / n);
      }
      return best;
    };
    const double scan = per_call([&] { sink += scan::scan_module(file).statements.size(); });
    const double cold = per_call([&] { sink += parse_migration(file).revision.strings.size(); });
    const double full =
        per_call([&] { sink += MigrationDocument(file).parsed().revision.present; });
    std::printf(
        "%zu-byte migration, CPU per call (best of 3 x %d): scan %.1f us, "
        "parse_migration %.1f us, MigrationDocument %.1f us (%zu)\n",
        file.size(), n, scan, cold, full, sink);
  }
  return 0;
}
