# grammars.cmake — the tree-sitter grammars etlport parses generated code with.
#
# The grammars come from the npm registry, pinned by exact version in package.json and by hash in
# package-lock.json; nothing tree-sitter generates is ever committed. At configure time this file
# finds an installed copy of the pinned versions or installs one with `npm ci --ignore-scripts`
# (never node-gyp: only the C sources are used), then compiles each grammar's src/parser.c and
# src/scanner.c into the static library `etl_grammars`, which exports tree_sitter_sql() and
# tree_sitter_python(). They link against Debian's tree-sitter runtime (pkg-config tree-sitter,
# target PkgConfig::TREESITTER), whose ABI range is checked here against each parser's.
#
# Where the grammars live, first found wins:
#   ETLPORT_GRAMMARS_DIR        a node_modules folder given on the command line (offline builds)
#   <source>/node_modules       what `npm ci` in the source tree made (tools/bootstrap.sh does it;
#                               the folder is gitignored)
#   <build>/_grammars/node_modules   installed here by `npm ci` from a copy of package.json,
#                               package-lock.json and .npmrc, so the source tree stays untouched
# A folder counts only when each grammar's package.json there has the pinned version.

set(ETLPORT_GRAMMARS_DIR "" CACHE PATH "node_modules folder holding the pinned tree-sitter grammars (empty: find or install)")

set(_etl_pkg_json "${CMAKE_SOURCE_DIR}/package.json")
set(_etl_pkg_lock "${CMAKE_SOURCE_DIR}/package-lock.json")
set(_etl_npmrc "${CMAKE_SOURCE_DIR}/.npmrc")
# Re-run configure when the pins change.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_etl_pkg_json}" "${_etl_pkg_lock}" "${_etl_npmrc}")

# grammar name (the C symbol is tree_sitter_<name>) -> npm package; versions come from package.json.
set(_etl_grammars sql python)
set(_etl_grammar_pkg_sql "@derekstride/tree-sitter-sql")
set(_etl_grammar_pkg_python "tree-sitter-python")

file(READ "${_etl_pkg_json}" _etl_pkg_text)
foreach(g IN LISTS _etl_grammars)
  string(JSON _v ERROR_VARIABLE _err GET "${_etl_pkg_text}" dependencies "${_etl_grammar_pkg_${g}}")
  if(_err OR NOT _v MATCHES "^[0-9]+\\.[0-9]+\\.[0-9]+$")
    message(FATAL_ERROR "package.json must pin ${_etl_grammar_pkg_${g}} to an exact version (got '${_v}')")
  endif()
  set(_etl_grammar_ver_${g} "${_v}")
endforeach()

# True in OUT when dir/<pkg>/package.json has the pinned version and the C sources are there.
function(_etl_grammars_present dir out)
  set(${out} FALSE PARENT_SCOPE)
  foreach(g IN LISTS _etl_grammars)
    set(p "${dir}/${_etl_grammar_pkg_${g}}")
    if(NOT EXISTS "${p}/package.json" OR NOT EXISTS "${p}/src/parser.c")
      return()
    endif()
    file(READ "${p}/package.json" t)
    string(JSON v ERROR_VARIABLE err GET "${t}" version)
    if(err OR NOT v STREQUAL _etl_grammar_ver_${g})
      return()
    endif()
  endforeach()
  set(${out} TRUE PARENT_SCOPE)
endfunction()

set(_etl_nm "")
if(ETLPORT_GRAMMARS_DIR)
  _etl_grammars_present("${ETLPORT_GRAMMARS_DIR}" _ok)
  if(NOT _ok)
    message(FATAL_ERROR "ETLPORT_GRAMMARS_DIR=${ETLPORT_GRAMMARS_DIR} does not hold the versions package.json pins")
  endif()
  set(_etl_nm "${ETLPORT_GRAMMARS_DIR}")
endif()
if(NOT _etl_nm)
  _etl_grammars_present("${CMAKE_SOURCE_DIR}/node_modules" _ok)
  if(_ok)
    set(_etl_nm "${CMAKE_SOURCE_DIR}/node_modules")
  endif()
endif()
if(NOT _etl_nm)
  set(_etl_npm_dir "${CMAKE_BINARY_DIR}/_grammars")
  _etl_grammars_present("${_etl_npm_dir}/node_modules" _ok)
  if(NOT _ok)
    find_program(ETLPORT_NPM npm)
    if(NOT ETLPORT_NPM)
      message(FATAL_ERROR "npm not found: it is needed once to fetch the pinned tree-sitter grammars "
                          "(apt-get install npm, or run tools/bootstrap.sh)")
    endif()
    file(MAKE_DIRECTORY "${_etl_npm_dir}")
    file(COPY "${_etl_pkg_json}" "${_etl_pkg_lock}" "${_etl_npmrc}" DESTINATION "${_etl_npm_dir}")
    message(STATUS "Installing tree-sitter grammars: npm ci --ignore-scripts in ${_etl_npm_dir}")
    execute_process(
      COMMAND "${ETLPORT_NPM}" ci --ignore-scripts --legacy-peer-deps --no-audit --no-fund
      WORKING_DIRECTORY "${_etl_npm_dir}"
      RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "npm ci failed (${_rc}):\n${_out}")
    endif()
    _etl_grammars_present("${_etl_npm_dir}/node_modules" _ok)
    if(NOT _ok)
      message(FATAL_ERROR "npm ci ran but ${_etl_npm_dir}/node_modules lacks the pinned grammars")
    endif()
  endif()
  set(_etl_nm "${_etl_npm_dir}/node_modules")
endif()

# Debian's runtime reads parsers whose ABI lies between these two.
find_path(ETLPORT_TS_API_H tree_sitter/api.h HINTS ${TREESITTER_INCLUDE_DIRS})
file(STRINGS "${ETLPORT_TS_API_H}/tree_sitter/api.h" _l REGEX "#define TREE_SITTER_(MIN_COMPATIBLE_)?LANGUAGE_VERSION ")
string(REGEX MATCH "TREE_SITTER_LANGUAGE_VERSION ([0-9]+)" _m "${_l}")
set(_etl_abi_max "${CMAKE_MATCH_1}")
string(REGEX MATCH "TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION ([0-9]+)" _m "${_l}")
set(_etl_abi_min "${CMAKE_MATCH_1}")

set(_etl_grammar_srcs "")
foreach(g IN LISTS _etl_grammars)
  set(src "${_etl_nm}/${_etl_grammar_pkg_${g}}/src")
  file(STRINGS "${src}/parser.c" _l REGEX "^#define LANGUAGE_VERSION " LIMIT_COUNT 1)
  string(REGEX MATCH "[0-9]+" _abi "${_l}")
  if(_abi LESS _etl_abi_min OR _abi GREATER _etl_abi_max)
    message(FATAL_ERROR "${_etl_grammar_pkg_${g}} ${_etl_grammar_ver_${g}} has parser ABI ${_abi}; "
                        "the tree-sitter runtime reads ${_etl_abi_min}..${_etl_abi_max}")
  endif()
  list(APPEND _etl_grammar_srcs "${src}/parser.c")
  if(EXISTS "${src}/scanner.c")
    list(APPEND _etl_grammar_srcs "${src}/scanner.c")
  endif()
  message(STATUS "Grammar ${g}: ${_etl_grammar_pkg_${g}} ${_etl_grammar_ver_${g}} (ABI ${_abi}) from ${_etl_nm}")
endforeach()

# Third-party generated C: no warnings (-w), and none of the project-wide flags (-Werror,
# sanitizers, fuzzer instrumentation) — the target's options replace the inherited ones. It is
# always optimised: the SQL parser is 17 MB of tables and debug info only slows the build.
add_library(etl_grammars STATIC ${_etl_grammar_srcs})
set_target_properties(etl_grammars PROPERTIES COMPILE_OPTIONS "-w;-O2;-g0" C_STANDARD 11 C_EXTENSIONS ON
                                              POSITION_INDEPENDENT_CODE ON)
target_link_libraries(etl_grammars PUBLIC PkgConfig::TREESITTER)
set(ETLPORT_GRAMMAR_VERSIONS "sql=${_etl_grammar_ver_sql};python=${_etl_grammar_ver_python}")
