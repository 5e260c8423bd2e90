// Internal to files_*.cpp: what creating a new file does the same way on every system.
#pragma once

#include <cstdint>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>

#include "platform/path_text.h"

namespace alembic::platform::detail {

inline void ensure_parent(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec)
    throw std::runtime_error("cannot create " + path.parent_path().string() + ": " + ec.message());
}

// Not a migration name (no trailing .py), so neither Alembic nor a watcher loads it.
inline std::filesystem::path temporary_name(const std::filesystem::path& path) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string suffix;
  uint64_t bits = rng();
  for (int i = 0; i < 12; ++i, bits >>= 4) suffix += hex[bits & 15];
  return path.parent_path() / utf8_path("." + path.filename().string() + "." + suffix + ".tmp");
}

}  // namespace alembic::platform::detail
