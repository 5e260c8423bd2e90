#include "server/uri.h"

#include <algorithm>
#include <cctype>

#include "analysis/parse_literal.h"

namespace alembic::server {

namespace {

using literal::hex_value;

bool unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char upper(char c) {
  return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
}
char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Percent-decodes `text`; nullopt for a malformed escape or an encoded NUL.
std::optional<std::string> decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (out.find('\0') != std::string::npos) return std::nullopt;
  return out;
}

void encode(std::string& out, std::string_view text) {
  static const char* digits = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if (unreserved(c) || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
}

// "C:" at the start of `path` (after an optional '/').
bool drive_at(std::string_view path, size_t at) {
  return path.size() >= at + 2 && is_letter(path[at]) && path[at + 1] == ':' &&
         (path.size() == at + 2 || path[at + 2] == '/' || path[at + 2] == '\\');
}

}  // namespace

std::optional<std::string> uri_to_path(std::string_view uri, PathStyle style) {
  constexpr std::string_view scheme = "file://";
  if (uri.size() < scheme.size()) return std::nullopt;
  for (size_t i = 0; i < scheme.size(); ++i)
    if (lower(uri[i]) != scheme[i]) return std::nullopt;
  std::string_view rest = uri.substr(scheme.size());
  if (size_t q = rest.find_first_of("?#"); q != std::string_view::npos) rest = rest.substr(0, q);
  // "file://host/path": an empty host or localhost names this machine; on Windows another
  // host is a UNC server.
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view host = rest.substr(0, slash);
  const bool local = host.empty() || host == "localhost";
  if (!local && style == PathStyle::Posix) return std::nullopt;
  std::optional<std::string> path = decode(rest.substr(slash));
  if (!path) return std::nullopt;
  if (style == PathStyle::Posix) return path;

  std::string out;
  if (!local) {
    std::optional<std::string> server = decode(host);
    if (!server || server->empty()) return std::nullopt;
    out = "\\\\" + *server;
    out += *path;
  } else if (drive_at(*path, 1)) {
    out = path->substr(1);  // "/c:/a" -> "c:/a"
    out[0] = upper(out[0]);
    if (out.size() == 2) out += '/';
  } else {
    out = *path;  // no drive: a path on the current drive
  }
  for (char& c : out)
    if (c == '/') c = '\\';
  return out;
}

std::string path_to_uri(std::string_view path, PathStyle style) {
  std::string out = "file://";
  if (style == PathStyle::Posix) {
    if (path.empty() || path.front() != '/') out += '/';
    encode(out, path);
    return out;
  }
  std::string p(path);
  for (char& c : p)
    if (c == '\\') c = '/';
  if (p.rfind("//?/UNC/", 0) == 0) {
    p = "//" + p.substr(8);
  } else if (p.rfind("//?/", 0) == 0) {
    p = p.substr(4);
  }
  if (p.rfind("//", 0) == 0) {
    // UNC: "//server/share/x" -> host "server", path "/share/x".
    const size_t end = p.find('/', 2);
    const std::string server = p.substr(2, end == std::string::npos ? end : end - 2);
    encode(out, server);
    encode(out, end == std::string::npos ? "/" : std::string_view(p).substr(end));
    return out;
  }
  out += '/';
  if (drive_at(p, 0)) {
    out += lower(p[0]);
    out += "%3A";
    encode(out, std::string_view(p).substr(2));
    return out;
  }
  encode(out, p.front() == '/' ? std::string_view(p).substr(1) : std::string_view(p));
  return out;
}

std::string path_key(std::string_view path, PathStyle style) {
  std::string key(path);
  if (style == PathStyle::Posix) return key;
  for (char& c : key) c = c == '\\' ? '/' : lower(c);
  return key;
}

namespace {

bool separator(char c) {
  return c == '\\' || c == '/';
}

// Where the root of a Windows path ends: after "C:\", "\\server\share\", "\\?\C:\",
// "\\?\UNC\server\share\" or a leading separator (a path on the current drive).
size_t windows_root_end(std::string_view p) {
  size_t at = 0;
  bool unc = false;
  if (p.size() >= 4 && separator(p[0]) && separator(p[1]) && p[2] == '?' && separator(p[3])) {
    at = 4;
    if (p.size() >= 8 && p.substr(4, 3) == "UNC" && separator(p[7])) {
      at = 8;
      unc = true;
    }
  } else if (p.size() >= 2 && separator(p[0]) && separator(p[1])) {
    at = 2;
    unc = true;
  }
  if (!unc) {
    if (drive_at(p, at)) return std::min(p.size(), at + 3);
    return at < p.size() && separator(p[at]) ? at + 1 : at;
  }
  // The server and the share name the root.
  for (int part = 0; part < 2 && at < p.size(); ++part) {
    while (at < p.size() && !separator(p[at])) ++at;
    if (at < p.size()) ++at;
  }
  return at;
}

}  // namespace

std::string spelled_as_on_disk(std::string_view path, const NameOnDisk& name_on_disk) {
  const size_t root_end = windows_root_end(path);
  std::string out(path.substr(0, root_end));
  for (char& c : out)
    if (c == '/') c = '\\';
  const bool long_form = out.rfind("\\\\?\\", 0) == 0;  // "\\?\C:\..."
  if (drive_at(out, 0)) out[0] = upper(out[0]);
  if (long_form && drive_at(out, 4)) out[4] = upper(out[4]);
  bool on_disk = true;
  size_t at = root_end;
  while (at < path.size()) {
    size_t end = at;
    while (end < path.size() && !separator(path[end])) ++end;
    const std::string_view part = path.substr(at, end - at);
    if (!part.empty()) {
      if (!out.empty() && !separator(out.back())) out += '\\';
      std::optional<std::string> stored;
      if (on_disk) stored = name_on_disk(out + std::string(part));
      // The stored name only where it is this name in another case (not, say, a short
      // 8.3 name's long form).
      on_disk =
          stored && path_key(*stored, PathStyle::Windows) == path_key(part, PathStyle::Windows);
      out += on_disk ? *stored : std::string(part);
    }
    at = end + 1;
  }
  if (!path.empty() && separator(path.back()) && !out.empty() && !separator(out.back()))
    out += '\\';
  return out;
}

}  // namespace alembic::server
