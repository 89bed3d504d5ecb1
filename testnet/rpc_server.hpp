// JSON-RPC over HTTP/1.1 (Boost.Beast) on the node's io_context. Loopback only by default: the
// testnet's API is for the harness and local tools, not the internet. POST bodies carry JSON-RPC
// (json_rpc.hpp); anything else gets an HTTP error with a JSON-RPC error body.
// Bounded: request bodies (kMaxBodyBytes), headers, concurrent sessions, idle time.
// Admin methods (JsonRpc::add_admin) answer only requests carrying the admin token as a bearer.
// GET /metrics serves the Prometheus text the runtime hands serve_metrics().
#pragma once

#include <utility>  // before asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "core/util/result.hpp"
#include "testnet/json_rpc.hpp"

namespace mt::testnet {

class RpcServer {
 public:
  static constexpr std::size_t kMaxBodyBytes = 1u << 20;  // a raw tx is < 4 KiB; a batch of 64 fits
  static constexpr std::size_t kMaxSessions = 64;
  static constexpr int kIdleSeconds = 30;

  // `admin_token`: requests with "Authorization: Bearer <token>" may call admin methods; empty
  // means no request may.
  RpcServer(boost::asio::io_context& io, const JsonRpc& rpc, std::string host, std::uint16_t port,
            std::string admin_token = {});
  ~RpcServer();
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  Status listen();
  void stop();
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] bool is_admin(std::string_view authorization_header) const;
  // GET /metrics answers with fn() as Prometheus text (version 0.0.4).
  void serve_metrics(std::function<std::string()> fn) { metrics_ = std::move(fn); }

  class Session;

 private:
  void accept_next();

  const JsonRpc& rpc_;
  std::string host_;
  std::uint16_t port_;
  std::string admin_token_;
  std::function<std::string()> metrics_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::set<std::shared_ptr<Session>> sessions_;
  bool stopped_ = false;
  friend class Session;
};

}  // namespace mt::testnet
