# mtsim_target_settings(target): warnings, sanitizers and hardening, applied per target.
add_library(mtsim_options INTERFACE)
add_library(mtsim::options ALIAS mtsim_options)
target_compile_options(mtsim_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(MTSIM_WERROR)
  target_compile_options(mtsim_options INTERFACE -Werror)
endif()
if(MTSIM_SANITIZE)
  target_compile_options(mtsim_options INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(mtsim_options INTERFACE -fsanitize=address,undefined)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false -Wrestrict positives inside libstdc++'s std::string at -O2/-O3
  # (GCC bug 105329); the warning is noise there and nowhere useful in our code.
  target_compile_options(mtsim_options INTERFACE -Wno-restrict)
endif()

# mtsim_cold_in_debug(target...): compile these targets at -O0 in the Debug (sanitizer) build.
# That build exists to run the tests under ASan and UBSan. Their run time is spent in core/ and
# sim/, which stay at -O1; the test drivers, reports, CLI and testnet runtime are template-heavy
# (doctest, nlohmann-json, Boost.Beast) and compile about 40% faster at -O0. The target option
# comes after CMAKE_CXX_FLAGS_DEBUG on the command line, so it wins.
function(mtsim_cold_in_debug)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE $<$<CONFIG:Debug>:-O0>)
  endforeach()
endfunction()
