#include "testnet/rpc_server.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <optional>
#include <fmt/format.h>

namespace mt::testnet {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class RpcServer::Session : public std::enable_shared_from_this<RpcServer::Session> {
 public:
  Session(RpcServer& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {}

  void start() { read(); }
  void close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    server_.sessions_.erase(shared_from_this());
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(kMaxBodyBytes);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(kIdleSeconds));
    auto self = shared_from_this();
    http::async_read(stream_, buffer_, *parser_, [self](beast::error_code ec, std::size_t) {
      if (self->closed_) return;
      if (ec == http::error::body_limit) {
        // The rest of the body is still coming: answer, then drain it (lingering close), or the
        // client, still writing, would get a reset instead of the answer.
        return self->reply(http::status::payload_too_large,
                           error_response(nullptr, kInvalidRequest, "request body exceeds 1 MiB").dump(), false,
                           /*linger=*/true);
      }
      if (ec) return self->close();
      self->handle(self->parser_->release());
    });
  }

  void handle(http::request<http::string_body> req) {
    const bool keep = req.keep_alive();
    if (req.method() == http::verb::get && req.target() == "/metrics" && server_.metrics_) {
      return reply(http::status::ok, server_.metrics_(), keep, false, "text/plain; version=0.0.4");
    }
    if (req.method() != http::verb::post) {
      return reply(http::status::method_not_allowed,
                   error_response(nullptr, kInvalidRequest, "JSON-RPC requests are HTTP POSTs").dump(), keep);
    }
    const auto auth = req[http::field::authorization];
    std::string body = server_.rpc_.handle(req.body(), server_.is_admin(std::string_view(auth.data(), auth.size())));
    const auto status = body.empty() ? http::status::no_content : http::status::ok;  // before the move below
    reply(status, std::move(body), keep);
  }

  void reply(http::status status, std::string body, bool keep_alive, bool linger = false,
             const char* content_type = "application/json") {
    auto res = std::make_shared<http::response<http::string_body>>(status, 11);
    res->set(http::field::server, "mtnode");
    res->set(http::field::content_type, content_type);
    res->keep_alive(keep_alive);
    res->body() = std::move(body);
    res->prepare_payload();
    auto self = shared_from_this();
    http::async_write(stream_, *res, [self, res, linger](beast::error_code ec, std::size_t) {
      if (self->closed_) return;
      if (!ec && linger) return self->linger_then_close();
      if (ec || !res->keep_alive()) return self->close();
      self->read();
    });
  }

  // Stop sending, then read and drop what the client still sends until it closes, a cap or a
  // timeout, whichever comes first; then close.
  void linger_then_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(std::chrono::seconds(kLingerSeconds));
    drain();
  }
  void drain() {
    auto self = shared_from_this();
    stream_.async_read_some(asio::buffer(drain_buf_), [self](beast::error_code ec, std::size_t n) {
      if (self->closed_) return;
      self->drained_ += n;
      if (ec || self->drained_ > kMaxLingerBytes) return self->close();
      self->drain();
    });
  }
  static constexpr int kLingerSeconds = 5;
  static constexpr std::size_t kMaxLingerBytes = 4 * kMaxBodyBytes;

  RpcServer& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{kMaxBodyBytes + 64 * 1024};
  std::optional<http::request_parser<http::string_body>> parser_;
  bool closed_ = false;
  std::array<char, 16 * 1024> drain_buf_{};
  std::size_t drained_ = 0;
};

RpcServer::RpcServer(asio::io_context& io, const JsonRpc& rpc, std::string host, std::uint16_t port,
                     std::string admin_token)
    : rpc_(rpc), host_(std::move(host)), port_(port), admin_token_(std::move(admin_token)), acceptor_(io) {}

bool RpcServer::is_admin(std::string_view authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (admin_token_.empty() || !authorization.starts_with(kBearer)) return false;
  const std::string_view given = authorization.substr(kBearer.size());
  if (given.size() != admin_token_.size()) return false;
  unsigned char diff = 0;  // constant time in the token's length
  for (std::size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ admin_token_[i]);
  return diff == 0;
}

RpcServer::~RpcServer() { stop(); }

Status RpcServer::listen() {
  beast::error_code ec;
  const tcp::endpoint ep(asio::ip::make_address(host_, ec), port_);
  if (ec) return make_error("rpc address " + host_ + ": " + ec.message());
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(fmt::format("rpc listen on {}:{}: {}", host_, port_, ec.message()));
  port_ = acceptor_.local_endpoint().port();
  accept_next();
  return {};
}

void RpcServer::accept_next() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (stopped_) return;
    if (!ec) {
      if (sessions_.size() >= kMaxSessions) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        auto s = std::make_shared<Session>(*this, std::move(socket));
        sessions_.insert(s);
        s->start();
      }
    }
    accept_next();
  });
}

void RpcServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  beast::error_code ec;
  acceptor_.close(ec);
  auto sessions = sessions_;
  for (const auto& s : sessions) s->close();
}

}  // namespace mt::testnet
