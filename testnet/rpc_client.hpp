// A blocking JSON-RPC client with a deadline (the harness and tests call nodes with it). Each
// call opens a connection, posts one request and reads one response, on a private io_context, so
// a stopped or dead node costs at most the timeout, never a hang.
#pragma once

#include <cstdint>
#include <string>

#include "core/util/result.hpp"
#include "core/util/time.hpp"
#include "testnet/json_rpc.hpp"

namespace mt::testnet {

struct HttpReply {
  unsigned status = 0;
  std::string body;
};

class RpcClient {
 public:
  RpcClient(std::string host, std::uint16_t port, TimeUs timeout = 2 * kUsPerSec)
      : host_(std::move(host)), port_(port), timeout_(timeout) {}

  // The method's result; an error for transport failures and JSON-RPC error objects alike
  // ("rpc error -32602: ...").
  Result<json> call(const std::string& method, json params = json::array());
  // One raw HTTP exchange (tests send malformed bodies with it; GET /metrics scrapes a node).
  Result<HttpReply> post(const std::string& body, const std::string& verb = "POST", const std::string& target = "/");

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Sent as "Authorization: Bearer <token>" from now on (admin methods need it; admin_token.hpp).
  void set_admin_token(std::string token) { token_ = std::move(token); }

 private:
  std::string host_;
  std::uint16_t port_;
  TimeUs timeout_;
  std::string token_;
  std::uint64_t next_id_ = 1;
};

}  // namespace mt::testnet
