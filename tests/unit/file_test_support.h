// Projects on disk for the workspace tests: a fresh directory per test, and files written
// with their folders.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace file_test {

namespace fs = std::filesystem;

inline void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

/// An empty directory under the temp directory, named after `prefix`, the run's random
/// seed and the running test.
inline fs::path fresh_test_dir(const std::string& prefix) {
  const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
  const fs::path dir = fs::temp_directory_path() / (prefix + std::to_string(unit.random_seed()) +
                                                    "-" + unit.current_test_info()->name());
  fs::remove_all(dir);
  return dir;
}

}  // namespace file_test
