# cmake/Sanitize.cmake — -DMV_SANITIZE=address,undefined: every project target built and linked with those sanitizers.
# Any sanitizer list the compiler accepts works (gcc or clang). Reports are fatal
# (-fno-sanitize-recover=all), so a unit or lit test fails on the first one. Every executable
# of the build, and every native sampler `mvc build` links, gets the options and the
# suppressions of cmake/SanitizeDefaults.cpp (known false reports of the uninstrumented Boehm
# GC and oneTBB only, in cmake/sanitize/*.supp, each with its reason).
set(MV_SANITIZE "" CACHE STRING "Comma-separated sanitizers for every target, e.g. address,undefined (empty: none)")

if(MV_SANITIZE)
  add_compile_options(-fsanitize=${MV_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${MV_SANITIZE})
  message(STATUS "Sanitizers: ${MV_SANITIZE}")
endif()

# Collects the targets of type `kind` (EXECUTABLE, SHARED_LIBRARY, ...) defined in `dir` and below into `out`.
function(mv_collect_targets dir kind out)
  set(found ${${out}})
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(t ${targets})
    get_target_property(type ${t} TYPE)
    if(type STREQUAL kind)
      list(APPEND found ${t})
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    mv_collect_targets(${sub} ${kind} found)
  endforeach()
  set(${out} ${found} PARENT_SCOPE)
endfunction()

# Called once every folder's targets exist: gives each executable the sanitizer defaults, and
# tells `mvc build` how to link native samplers against the instrumented runtime.
function(mv_sanitize_executables)
  if(NOT MV_SANITIZE)
    return()
  endif()
  set(defaults ${PROJECT_BINARY_DIR}/SanitizeDefaults.cpp)
  set(MV_SANITIZE_SUPPRESSIONS ${PROJECT_SOURCE_DIR}/cmake/sanitize)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/SanitizeDefaults.cpp.in ${defaults} @ONLY)
  set(exes "")
  mv_collect_targets(${PROJECT_SOURCE_DIR} EXECUTABLE exes)
  foreach(t ${exes})
    target_sources(${t} PRIVATE ${defaults})
  endforeach()
  # clang links the sanitizer runtime into executables only: a shared library (libmultiverse.so,
  # linked -Wl,--no-undefined) takes its __asan_* / __ubsan_* symbols from the executable that
  # loads it, so it is linked allowing undefined symbols (-z undefs overrides --no-undefined).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(shared "")
    mv_collect_targets(${PROJECT_SOURCE_DIR} SHARED_LIBRARY shared)
    mv_collect_targets(${PROJECT_SOURCE_DIR} MODULE_LIBRARY shared)
    foreach(t ${shared})
      target_link_options(${t} PRIVATE -Wl,-z,undefs)
    endforeach()
  endif()
  # Native samplers link the same object (whole, since nothing references it).
  add_library(mv_sanitize_defaults STATIC ${defaults})
  add_dependencies(mv_codegen mv_sanitize_defaults)
  target_compile_definitions(mv_codegen PRIVATE MV_NATIVE_LINKER="${CMAKE_CXX_COMPILER}"
    MV_NATIVE_SANITIZE="-fsanitize=${MV_SANITIZE}" MV_NATIVE_SANITIZE_LIB="$<TARGET_FILE:mv_sanitize_defaults>")
endfunction()
