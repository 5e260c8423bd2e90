#include "analysis/windows_names.h"

#include <array>
#include <cctype>

namespace alembic {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> component_problem(std::string_view name) {
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 32)
      return "'" + std::string(name) + "' holds a control character";
    if (std::string_view("<>:\"|?*").find(c) != std::string_view::npos)
      return "'" + std::string(name) + "' holds '" + std::string(1, c) + "'";
  }
  if (!name.empty() && (name.back() == ' ' || name.back() == '.') && name != "." && name != "..")
    return "'" + std::string(name) + "' ends in " + (name.back() == ' ' ? "a space" : "a dot");
  // A device name stays one with an extension ("nul.py") and trailing spaces before it.
  std::string_view stem = name.substr(0, name.find('.'));
  while (!stem.empty() && stem.back() == ' ') stem.remove_suffix(1);
  const std::string device = upper(stem);
  static constexpr std::array<std::string_view, 4> kFixed = {"CON", "PRN", "AUX", "NUL"};
  bool reserved = false;
  for (std::string_view d : kFixed) reserved = reserved || device == d;
  if (device.size() == 4 && (device.starts_with("COM") || device.starts_with("LPT")) &&
      device[3] >= '1' && device[3] <= '9')
    reserved = true;
  if (reserved) return "'" + std::string(name) + "' is the reserved device name " + device;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> windows_name_problem(std::string_view relative) {
  size_t start = 0;
  for (;;) {
    const size_t end = relative.find_first_of("/\\", start);
    const std::string_view part = relative.substr(
        start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!part.empty())
      if (auto why = component_problem(part)) return why;
    if (end == std::string_view::npos) return std::nullopt;
    start = end + 1;
  }
}

}  // namespace alembic
