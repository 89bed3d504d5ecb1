// "wipe" as a validator operator does it: the chain data goes, the signing state stays (as a
// validator keeps its key state apart from its data), so a wiped node resyncs from its peers but
// can never sign at a height, round and step it already signed.
#pragma once

#include <string>

#include "core/util/result.hpp"

namespace mt::testnet {

// Removes DATA_DIR/node.sqlite (and its -wal and -shm), then writes the signing state it held (if
// any) into a fresh node.sqlite. Other files (launch.json, admin.token, logs) are left alone. The
// node must not be running.
Status wipe_keeping_signing_state(const std::string& data_dir);

}  // namespace mt::testnet
