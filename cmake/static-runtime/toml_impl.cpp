// The compiled part of toml++ (Debian's libtomlplusplus.so.3), for the static build:
// toml++ compiles its implementation into the one translation unit that defines
// TOML_IMPLEMENTATION (with TOML_HEADER_ONLY=0, as the rest of the project).
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
