# The instruction set (estimators/score/include/scorebench/isa.hpp).
#
# Default: everything is compiled for the x86-64 baseline, so that the build
# runs on any x86-64 CPU, and the executables are built again, whole, in a
# sub-build per level of SCOREBENCH_ISA_VARIANTS (build/<preset>/isa/<level>/,
# installed under libexec/scorebench/<level>/); a baseline executable execs
# the highest variant the CPU runs. A whole sub-build per level, rather than
# kernels compiled per level in one binary: Eigen sizes its packets and its
# allocations' alignment by the compile flags, so code of two levels in one
# process would share inline Eigen functions of either level (the linker
# keeps one copy) and disagree on how a matrix is allocated.
#
# SCOREBENCH_MARCH=<arch> (native, x86-64-v3, armv8.2-a, …) compiles
# everything for that -march and builds no variant.

set(SCOREBENCH_MARCH "" CACHE STRING
    "Compile everything for this -march and build no variants (empty: the baseline and run-time variants)")
set(SCOREBENCH_ISA_VARIANTS "" CACHE STRING
    "x86-64 levels (x86-64-v2;x86-64-v3;x86-64-v4) whose executables are built beside the baseline, lowest first")

if(SCOREBENCH_MARCH)
  string(APPEND CMAKE_CXX_FLAGS " -march=${SCOREBENCH_MARCH}")
  set(SCOREBENCH_ISA_LEVEL ${SCOREBENCH_MARCH})
  set(scorebench_isa_variants "")
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
  set(SCOREBENCH_ISA_LEVEL x86-64)
  set(scorebench_isa_variants ${SCOREBENCH_ISA_VARIANTS})
  foreach(level IN LISTS scorebench_isa_variants)
    if(NOT level MATCHES "^x86-64-v[234]$")
      message(FATAL_ERROR "SCOREBENCH_ISA_VARIANTS: '${level}' is not x86-64-v2, x86-64-v3 or x86-64-v4")
    endif()
  endforeach()
else()
  set(SCOREBENCH_ISA_LEVEL ${CMAKE_SYSTEM_PROCESSOR})
  set(scorebench_isa_variants "")
  if(SCOREBENCH_ISA_VARIANTS)
    message(STATUS "scorebench: SCOREBENCH_ISA_VARIANTS is for x86-64; ${CMAKE_SYSTEM_PROCESSOR} builds the baseline only")
  endif()
endif()

# The definitions estimators/score/src/isa.cpp reads.
function(scorebench_isa_definitions target)
  file(RELATIVE_PATH libexec_from_bindir ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBEXECDIR}/scorebench)
  # comma-separated: a ';' in a definition splits the compile command
  string(REPLACE ";" "," variants "${scorebench_isa_variants}")
  target_compile_definitions(${target} PRIVATE
    SCOREBENCH_ISA_LEVEL="${SCOREBENCH_ISA_LEVEL}" SCOREBENCH_ISA_VARIANTS="${variants}"
    SCOREBENCH_ISA_BUILD_DIR="${CMAKE_BINARY_DIR}/isa" SCOREBENCH_ISA_LIBEXEC_FROM_BINDIR="${libexec_from_bindir}")
endfunction()

# One sub-build per variant level: the same sources with -march=<level>,
# without tests; building `scorebench` or `scorebench_benchmarks` builds
# their variants, and `cmake --install` installs them.
function(scorebench_add_isa_variants)
  include(ExternalProject)
  foreach(level IN LISTS scorebench_isa_variants)
    set(dir ${CMAKE_BINARY_DIR}/isa/${level})
    set(targets scorebench scorebench_benchmarks)
    if(TARGET scorebench_instruction_driver)
      list(APPEND targets scorebench_instruction_driver)
    endif()
    ExternalProject_Add(scorebench_isa_${level}
      SOURCE_DIR ${CMAKE_SOURCE_DIR}
      BINARY_DIR ${dir}
      CMAKE_GENERATOR ${CMAKE_GENERATOR}
      CMAKE_CACHE_ARGS -DCMAKE_BUILD_TYPE:STRING=${CMAKE_BUILD_TYPE}
                       -DCMAKE_CXX_COMPILER:FILEPATH=${CMAKE_CXX_COMPILER}
                       -DCMAKE_CXX_FLAGS:STRING=${CMAKE_CXX_FLAGS}
                       -DCMAKE_CXX_FLAGS_RELEASE:STRING=${CMAKE_CXX_FLAGS_RELEASE}
                       -DCMAKE_PREFIX_PATH:STRING=${CMAKE_PREFIX_PATH}
                       -DSCOREBENCH_MARCH:STRING=${level} -DSCOREBENCH_ISA_VARIANTS:STRING=
                       -DSCOREBENCH_WITH_TORCH:BOOL=${SCOREBENCH_WITH_TORCH} -DSCOREBENCH_BUILD_TESTS:BOOL=OFF
      BUILD_COMMAND ${CMAKE_COMMAND} --build ${dir} --target ${targets}
      INSTALL_COMMAND ""
      BUILD_ALWAYS ON
      USES_TERMINAL_CONFIGURE ON USES_TERMINAL_BUILD ON)
    foreach(target IN LISTS targets)
      add_dependencies(${target} scorebench_isa_${level})
    endforeach()
    install(CODE "execute_process(COMMAND \"${CMAKE_COMMAND}\" --install \"${dir}\" --component scorebench_runtime
                    --prefix \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBEXECDIR}/scorebench/${level}\"
                    RESULT_VARIABLE status)
                  if(status)
                    message(FATAL_ERROR \"installing the ${level} variant failed\")
                  endif()")
  endforeach()
  # The instruction gate counts the x86-64-v3 driver (its baseline's level,
  # reports/instruction_gate.sh): with that variant, the baseline driver is
  # built on request only (a three-minute translation unit).
  if(TARGET scorebench_instruction_driver AND "x86-64-v3" IN_LIST scorebench_isa_variants)
    set_target_properties(scorebench_instruction_driver PROPERTIES EXCLUDE_FROM_ALL TRUE)
  endif()
endfunction()
