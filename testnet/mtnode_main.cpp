// mtnode: one testnet validator as a process. Started by `mtsim testnet` (or by hand) with the
// launch file the harness wrote:   mtnode --config DIR/node-3/launch.json [--listen ADDR]
// The JSON-RPC binds 127.0.0.1 unless --listen ADDR names another address (0.0.0.0: every
// interface, at the operator's risk). Admin methods need DATA_DIR/admin.token (admin_token.hpp).
// Exit codes: 0 stopped by SIGINT/SIGTERM, 64 bad command line, 65 bad launch file or scenario,
// 70 could not listen or open its store.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "sim/run/exit_codes.hpp"
#include "testnet/node_runtime.hpp"

int main(int argc, char** argv) {
  std::string config;
  mt::testnet::RuntimeOptions options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
      config = argv[++i];
    } else if (std::strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
      options.rpc_listen = argv[++i];
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::printf("usage: mtnode --config LAUNCH.json [--listen ADDR]\n"
                  "  runs one testnet validator (see docs/testnet.md); the RPC binds ADDR (default 127.0.0.1)\n");
      return 0;
    } else {
      std::fprintf(stderr, "mtnode: unknown argument '%s' (usage: mtnode --config LAUNCH.json [--listen ADDR])\n", argv[i]);
      return mt::kExitUsage;
    }
  }
  if (config.empty()) {
    std::fprintf(stderr, "mtnode: --config LAUNCH.json is required\n");
    return mt::kExitUsage;
  }
  try {
    auto launch = mt::testnet::read_launch(config);
    if (!launch.ok()) {
      std::fprintf(stderr, "mtnode: %s\n", launch.error().message.c_str());
      return mt::kExitBadScenario;
    }
    auto rt = mt::testnet::NodeRuntime::create(launch.value(), options);
    if (!rt.ok()) {
      std::fprintf(stderr, "mtnode: %s\n", rt.error().message.c_str());
      return mt::kExitBadScenario;
    }
    if (auto st = rt.value()->run(); !st.ok()) {
      std::fprintf(stderr, "mtnode: %s\n", st.error().message.c_str());
      return mt::kExitInternal;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mtnode: internal error: %s\n", e.what());
    return mt::kExitInternal;
  }
  return 0;
}
