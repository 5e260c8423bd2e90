# The UTF-8 path guard of the Windows build (see platform/path_text.h).
#
# MinGW's libstdc++ converts a std::string given to std::filesystem::path byte by byte (the
# C locale), not as UTF-8: non-ASCII names go wrong silently. Every such conversion in this
# project must go through platform::utf8_path(). To make a missed one a compile error, the
# Windows build reads a copy of the compiler's own <bits/fs_path.h>, made here at configure
# time, in which path's constructors, assignments and appends taking std::string or
# std::string_view are deleted. Nothing of the header is kept in the repository; with
# another libstdc++ whose header lacks the anchor below, the guard is left out with a
# warning (the build is then correct only as far as the code is).
option(ALEMBIC_LSP_WINDOWS_PATH_GUARD
  "Windows builds: fail to compile any std::string -> std::filesystem::path conversion" ON)

function(alembic_windows_path_guard)
  if(NOT (WIN32 AND ALEMBIC_LSP_WINDOWS_PATH_GUARD))
    return()
  endif()
  set(probe ${CMAKE_BINARY_DIR}/path-guard-probe.cpp)
  file(WRITE ${probe} "#include <filesystem>\n")
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -std=c++20 -M ${probe}
                  OUTPUT_VARIABLE deps RESULT_VARIABLE rc ERROR_QUIET)
  string(REGEX MATCH "[^ \t\r\n\\\\]*/bits/fs_path\\.h" header "${deps}")
  if(NOT rc EQUAL 0 OR NOT header OR NOT EXISTS "${header}")
    message(WARNING "UTF-8 path guard left out: <bits/fs_path.h> not found")
    return()
  endif()
  file(READ "${header}" text)
  set(anchor "    path(string_type&& __source, format = auto_format)")
  string(FIND "${text}" "${anchor}" at)
  if(at EQUAL -1)
    message(WARNING "UTF-8 path guard left out: ${header} is not the libstdc++ it knows")
    return()
  endif()
  set(deleted "    // alembic-lsp: narrow text becomes a path only through platform::utf8_path().\n")
  foreach(type "const std::string&" "std::string_view")
    string(APPEND deleted
      "    path(${type}, format = auto_format) = delete;\n"
      "    path& operator=(${type}) = delete;\n"
      "    path& assign(${type}) = delete;\n"
      "    path& operator/=(${type}) = delete;\n"
      "    path& append(${type}) = delete;\n"
      "    path& operator+=(${type}) = delete;\n"
      "    path& concat(${type}) = delete;\n")
  endforeach()
  string(REPLACE "${anchor}" "${deleted}${anchor}" text "${text}")
  set(dir ${CMAKE_BINARY_DIR}/path-guard)
  file(WRITE ${dir}/bits/fs_path.h "${text}")
  # Before the compiler's own directories (a -isystem directory is searched before them).
  include_directories(BEFORE SYSTEM ${dir})
  message(STATUS "UTF-8 path guard: ${dir}/bits/fs_path.h (from ${header})")
endfunction()
