// What the rest of the program may ask about the system it runs on.
#pragma once

#include <cstddef>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

namespace alembic::platform {

/// True in the Windows build: paths have drive letters and '\\', and compare without case.
#if defined(_WIN32)
inline constexpr bool kWindowsPaths = true;
#else
inline constexpr bool kWindowsPaths = false;
#endif

/// `t` as local time (localtime_r / localtime_s); false when it cannot be converted.
bool local_time(std::time_t t, std::tm& out);

/// The running executable's path; empty when it cannot be found.
std::filesystem::path executable_path();

/// The Linux kernel's release ("6.1.0-18-amd64"); empty on other systems.
std::string linux_kernel_release();

/// What the memory release watches: resident anonymous memory (heap and stacks) where the
/// system tells it cheaply (Linux: RssAnon), else the C allocator's free bytes, else 0.
std::size_t memory_held_bytes();

/// Returns the allocator's free pages to the system (nothing where it cannot).
void allocator_trim();

/// Sets the C allocator up for a process that runs for hours (the server): blocks of 256 KiB
/// and more get their own mappings, returned whole when freed. glibc's default raises that
/// limit to the largest block freed so far (up to 32 MB), after which a burst's big buffers
/// come from the arenas and the small objects that outlive them pin those pages: the soak
/// test saw 12-15 MB of resident memory that malloc_trim could not return. Nothing elsewhere.
void allocator_configure_for_long_run();

/// Puts stdin and stdout in binary mode (no CRLF translation on Windows; nothing elsewhere).
void binary_stdio();

/// The program's arguments after its name, as UTF-8. Windows gives `main` its arguments
/// in the ANSI code page (a message "Ünïcode" arrived as cp1252 bytes, a character outside
/// it as '?'): there they are read from the wide command line (GetCommandLineW).
/// Elsewhere `argv` as given.
std::vector<std::string> arguments(int argc, char** argv);

/// Windows: while the program runs, a console shows its UTF-8 output as UTF-8 (its code
/// page is put back at exit); output to a pipe or file is bytes either way. Nothing
/// elsewhere.
void utf8_console();

}  // namespace alembic::platform
