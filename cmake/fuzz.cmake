# fuzz.cmake — instrumentation for -DETLPORT_FUZZ=ON (included by the top-level CMakeLists.txt).
# libFuzzer needs clang: configure a separate build folder with CC=clang, e.g.
#     CC=clang cmake -S . -B build-fuzz -DETLPORT_FUZZ=ON && cmake --build build-fuzz -j2
# Every project library gets coverage instrumentation and ASan + UBSan; the fuzz/ targets link
# libFuzzer itself (-fsanitize=fuzzer). Warnings do not fail a fuzz build (clang warns about other
# things than gcc, and gcc's -Werror build is the one that guards them). The grammars keep their
# own options (cmake/grammars.cmake), so third-party parsers are not instrumented.
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "ETLPORT_FUZZ needs clang (libFuzzer): configure with CC=clang in a fresh build folder")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -g -Wno-error)
add_link_options(-fsanitize=address,undefined)
