# The libraries alembic-lsp links, as three interface targets the layers link to:
#   alembic_dep_spdlog       spdlog (+ fmt) for protocol/
#   alembic_dep_tree_sitter  the tree-sitter runtime for analysis/
#   alembic_dep_toml         toml++ for analysis/
# Default: Debian's shared libraries (libspdlog.so.1.10, libfmt.so.9, libtree-sitter.so.0,
# libtomlplusplus.so.3). With ALEMBIC_LSP_STATIC=ON nothing shared is left: the compiled
# parts of spdlog, fmt and toml++ are built from their -dev packages' implementation
# headers (cmake/static-runtime/), tree-sitter comes from its static archive (libtree-sitter.a
# of libtree-sitter-dev), and executables link with -static (glibc, libstdc++, libgcc).

option(ALEMBIC_LSP_STATIC
  "Self-contained binary: -static, spdlog/fmt/toml++ compiled in, libtree-sitter.a" OFF)
set(ALEMBIC_LSP_TREE_SITTER_ARCHIVE "" CACHE FILEPATH
  "Static mode: the libtree-sitter.a to link (default: found in the library path)")
set(ALEMBIC_LSP_TREE_SITTER_INCLUDE "" CACHE PATH
  "Static mode: the directory holding tree_sitter/api.h (default: found in the include path)")

add_library(alembic_dep_spdlog INTERFACE)
add_library(alembic_dep_tree_sitter INTERFACE)
add_library(alembic_dep_toml INTERFACE)

if(NOT ALEMBIC_LSP_STATIC)
  find_package(spdlog REQUIRED)
  pkg_check_modules(TREE_SITTER REQUIRED IMPORTED_TARGET tree-sitter)
  target_link_libraries(alembic_dep_spdlog INTERFACE spdlog::spdlog)
  target_link_libraries(alembic_dep_tree_sitter INTERFACE PkgConfig::TREE_SITTER)
  find_package(tomlplusplus QUIET)
  if(tomlplusplus_FOUND)
    target_link_libraries(alembic_dep_toml INTERFACE tomlplusplus::tomlplusplus)
  else()
    pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
    target_link_libraries(alembic_dep_toml INTERFACE PkgConfig::TOMLPP)
  endif()
  return()
endif()

# ---- ALEMBIC_LSP_STATIC ------------------------------------------------------------------
# The project's objects are compiled exactly as in the ordinary build (same definitions and
# options, so ccache shares them with a Release build); what changes is the link: the
# compiled parts of spdlog, fmt and toml++ come from cmake/static-runtime/ (their
# implementation headers, shipped in the -dev packages), tree-sitter from libtree-sitter.a,
# and the executable is linked with -static (glibc, libstdc++, libgcc).
# Everything is found by header, not by CMake package, so a cross build can use the build
# machine's (architecture-independent) headers.
if(WIN32 AND CMAKE_CROSSCOMPILING)
  # Debian's header-only packages sit in /usr/include beside glibc's headers, which must
  # never be on a MinGW include path: each is linked into a directory of its own.
  set(ALEMBIC_LSP_HOST_INCLUDE /usr/include CACHE PATH
    "Windows cross build: where the build machine's nlohmann/asio/spdlog/fmt/toml++ headers are")
  set(staged_include ${PROJECT_BINARY_DIR}/deps/include)
  file(MAKE_DIRECTORY ${staged_include})
  foreach(name nlohmann spdlog fmt toml++ asio asio.hpp)
    if(NOT EXISTS ${ALEMBIC_LSP_HOST_INCLUDE}/${name})
      message(FATAL_ERROR "no ${ALEMBIC_LSP_HOST_INCLUDE}/${name}: install nlohmann-json3-dev "
        "libasio-dev libspdlog-dev libfmt-dev libtomlplusplus-dev (scripts/setup.sh)")
    endif()
    file(CREATE_LINK ${ALEMBIC_LSP_HOST_INCLUDE}/${name} ${staged_include}/${name} SYMBOLIC)
  endforeach()
  set(spdlog_include ${staged_include})
  set(fmt_include ${staged_include})
  set(tomlpp_include ${staged_include})
  add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED GLOBAL)
  set_target_properties(nlohmann_json::nlohmann_json PROPERTIES
    INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${staged_include}
    INTERFACE_INCLUDE_DIRECTORIES ${staged_include})
else()
  find_path(spdlog_include spdlog/spdlog.h REQUIRED)
  find_path(fmt_include fmt/format-inl.h REQUIRED)
  find_path(tomlpp_include toml++/toml.h REQUIRED)
endif()
option(ALEMBIC_LSP_TREE_SITTER_FROM_NPM
  "Static mode: compile the tree-sitter runtime from npm's tree-sitter sources (Windows)" ${WIN32})
if(ALEMBIC_LSP_TREE_SITTER_FROM_NPM)
  include(${CMAKE_CURRENT_LIST_DIR}/tree-sitter-runtime.cmake)
elseif(NOT ALEMBIC_LSP_TREE_SITTER_ARCHIVE)
  find_library(tree_sitter_archive NAMES libtree-sitter.a REQUIRED)
  set(ALEMBIC_LSP_TREE_SITTER_ARCHIVE ${tree_sitter_archive})
endif()
if(ALEMBIC_LSP_TREE_SITTER_FROM_NPM)
  message(STATUS "Static build: tree-sitter runtime compiled from npm tree-sitter@${TS_RUNTIME_NPM_VERSION}")
else()
  if(NOT ALEMBIC_LSP_TREE_SITTER_INCLUDE)
    find_path(tree_sitter_include tree_sitter/api.h REQUIRED)
    set(ALEMBIC_LSP_TREE_SITTER_INCLUDE ${tree_sitter_include})
  endif()
  if(NOT EXISTS ${ALEMBIC_LSP_TREE_SITTER_ARCHIVE})
    message(FATAL_ERROR "ALEMBIC_LSP_STATIC: no tree-sitter archive at "
      "${ALEMBIC_LSP_TREE_SITTER_ARCHIVE} (install libtree-sitter-dev)")
  endif()
  message(STATUS "Static build: tree-sitter from ${ALEMBIC_LSP_TREE_SITTER_ARCHIVE}")
endif()

# The definitions Debian's CMake packages give their users (spdlog::spdlog, fmt::fmt,
# tomlplusplus::tomlplusplus), spelled out.
set(spdlog_definitions FMT_SHARED SPDLOG_COMPILED_LIB SPDLOG_FMT_EXTERNAL SPDLOG_SHARED_LIB)
set(toml_options -DTOML_HEADER_ONLY=0 -DTOML_SHARED_LIB=1)
if(WIN32)
  # On Windows the *_SHARED definitions mean __declspec(dllimport): not for a static link.
  set(spdlog_definitions SPDLOG_COMPILED_LIB SPDLOG_FMT_EXTERNAL)
  set(toml_options -DTOML_HEADER_ONLY=0)
endif()

set(runtime_dir ${PROJECT_SOURCE_DIR}/cmake/static-runtime)
add_library(alembic_static_runtime STATIC
  ${runtime_dir}/spdlog_impl.cpp ${runtime_dir}/fmt_impl.cpp ${runtime_dir}/toml_impl.cpp)
target_include_directories(alembic_static_runtime SYSTEM PRIVATE
  ${spdlog_include} ${fmt_include} ${tomlpp_include})
target_compile_definitions(alembic_static_runtime PRIVATE ${spdlog_definitions})
target_compile_options(alembic_static_runtime PRIVATE ${toml_options} -w)
target_link_libraries(alembic_static_runtime PRIVATE Threads::Threads)

target_include_directories(alembic_dep_spdlog SYSTEM INTERFACE ${spdlog_include} ${fmt_include})
target_compile_definitions(alembic_dep_spdlog INTERFACE ${spdlog_definitions})
target_link_libraries(alembic_dep_spdlog INTERFACE alembic_static_runtime Threads::Threads)

if(ALEMBIC_LSP_TREE_SITTER_FROM_NPM)
  target_link_libraries(alembic_dep_tree_sitter INTERFACE alembic_tree_sitter_runtime)
else()
  target_include_directories(alembic_dep_tree_sitter SYSTEM INTERFACE ${ALEMBIC_LSP_TREE_SITTER_INCLUDE})
  target_link_libraries(alembic_dep_tree_sitter INTERFACE ${ALEMBIC_LSP_TREE_SITTER_ARCHIVE})
endif()

target_include_directories(alembic_dep_toml SYSTEM INTERFACE ${tomlpp_include})
target_compile_options(alembic_dep_toml INTERFACE ${toml_options})
target_link_libraries(alembic_dep_toml INTERFACE alembic_static_runtime)

# Every executable: glibc (or on Windows winpthreads), libstdc++ and libgcc linked in.
add_link_options(-static)
if(WIN32)
  # asio's TCP transport; everything else Windows ships (kernel32, msvcrt, ws2_32).
  target_link_libraries(alembic_dep_spdlog INTERFACE ws2_32 mswsock)
endif()
