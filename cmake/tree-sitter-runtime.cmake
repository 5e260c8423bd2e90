# The tree-sitter runtime compiled from source, for targets Debian ships no libtree-sitter
# for (Windows). The source is the one the node binding `tree-sitter` on npm carries in
# vendor/tree-sitter/lib (runtime 0.20.x, language ABI 14, as Debian 12's libtree-sitter0
# 0.20.7), fetched with `npm pack` like the grammar, pinned by version and integrity hash,
# unpacked into the build tree. Nothing is committed. Defines alembic_tree_sitter_runtime.
set(TS_RUNTIME_NPM_VERSION 0.20.6)
# npm's integrity for tree-sitter@0.20.6, as hex.
set(TS_RUNTIME_SHA512 1b126875a8d5a5f81bdd4444cf321bb40d61c919d3c556d6557adb0bab24e314cc1f9111301264f4724dab873c8ce25e51a20e98b73083eb7a99ecff3c3bc6aa)
set(TS_RUNTIME_TARBALL "" CACHE FILEPATH "Use this tree-sitter-${TS_RUNTIME_NPM_VERSION}.tgz instead of running npm pack")

set(ts_rt_dir ${PROJECT_BINARY_DIR}/deps/tree-sitter-${TS_RUNTIME_NPM_VERSION})
set(ts_rt_tgz ${PROJECT_BINARY_DIR}/deps/tree-sitter-${TS_RUNTIME_NPM_VERSION}.tgz)
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/deps)
if(TS_RUNTIME_TARBALL)
  configure_file(${TS_RUNTIME_TARBALL} ${ts_rt_tgz} COPYONLY)
elseif(NOT EXISTS ${ts_rt_tgz})
  find_program(NPM_EXECUTABLE npm REQUIRED)
  message(STATUS "Fetching tree-sitter@${TS_RUNTIME_NPM_VERSION} (runtime sources) with npm pack")
  execute_process(
    COMMAND ${NPM_EXECUTABLE} pack tree-sitter@${TS_RUNTIME_NPM_VERSION} --silent
            --pack-destination ${PROJECT_BINARY_DIR}/deps
    WORKING_DIRECTORY ${PROJECT_BINARY_DIR}/deps
    RESULT_VARIABLE npm_rc ERROR_VARIABLE npm_err)
  if(NOT npm_rc EQUAL 0 OR NOT EXISTS ${ts_rt_tgz})
    message(FATAL_ERROR "npm pack tree-sitter@${TS_RUNTIME_NPM_VERSION} failed (${npm_rc}): ${npm_err}")
  endif()
endif()
file(SHA512 ${ts_rt_tgz} ts_rt_actual)
if(NOT ts_rt_actual STREQUAL TS_RUNTIME_SHA512)
  file(REMOVE ${ts_rt_tgz})
  message(FATAL_ERROR "tree-sitter runtime tarball has sha512 ${ts_rt_actual}, expected ${TS_RUNTIME_SHA512}")
endif()
if(NOT EXISTS ${ts_rt_dir}/vendor/tree-sitter/lib/src/lib.c)
  file(ARCHIVE_EXTRACT INPUT ${ts_rt_tgz} DESTINATION ${PROJECT_BINARY_DIR}/deps/extract
    PATTERNS package/vendor/tree-sitter/lib)
  file(REMOVE_RECURSE ${ts_rt_dir})
  file(RENAME ${PROJECT_BINARY_DIR}/deps/extract/package ${ts_rt_dir})
endif()

set(ts_rt_lib ${ts_rt_dir}/vendor/tree-sitter/lib)
add_library(alembic_tree_sitter_runtime STATIC ${ts_rt_lib}/src/lib.c)
target_include_directories(alembic_tree_sitter_runtime PRIVATE ${ts_rt_lib}/src
  PUBLIC ${ts_rt_lib}/include)
set_target_properties(alembic_tree_sitter_runtime PROPERTIES C_STANDARD 99)
target_compile_options(alembic_tree_sitter_runtime PRIVATE -w -O2)
