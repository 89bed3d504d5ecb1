// mtsim: the command-line entry point (grows with the runner issue).
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("mtsim 0.1.0\n");
    return 0;
  }
  std::printf("usage: mtsim --version\n");
  return 64;
}
