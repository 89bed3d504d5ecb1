// The node's admin token: 64 random hex digits in DATA_DIR/admin.token, mode 0600, so only the
// operator (the user who runs the node and its harness) can call admin methods such as
// mt_setLinkRules. A node creates the file on first start if nobody wrote one, and keeps it
// across restarts; a client reads it from the same folder (RpcClient::set_admin_token).
#pragma once

#include <string>

#include "core/util/result.hpp"

namespace mt::testnet {

inline constexpr const char* kAdminTokenFile = "admin.token";

// Reads DATA_DIR/admin.token, creating it (mode 0600, exclusive) when absent.
Result<std::string> load_or_create_admin_token(const std::string& data_dir);
// Reads DATA_DIR/admin.token; an error when it is missing, empty or readable by group or others.
Result<std::string> read_admin_token(const std::string& data_dir);

}  // namespace mt::testnet
