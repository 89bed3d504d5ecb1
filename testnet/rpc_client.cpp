#include "testnet/rpc_client.hpp"

#include <utility>  // before asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

namespace mt::testnet {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<HttpReply> RpcClient::post(const std::string& body, const std::string& verb, const std::string& target) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::flat_buffer buffer;
  http::request<http::string_body> req{http::string_to_verb(verb), target, 11};
  req.set(http::field::host, host_);
  req.set(http::field::content_type, "application/json");
  if (!token_.empty()) req.set(http::field::authorization, "Bearer " + token_);
  req.keep_alive(false);
  req.body() = body;
  req.prepare_payload();
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);  // block bodies with raw bytes can be large
  beast::error_code result;
  beast::error_code addr_ec;
  const tcp::endpoint ep(asio::ip::make_address(host_, addr_ec), port_);
  if (addr_ec) return make_error("bad address " + host_);
  stream.expires_after(std::chrono::microseconds(timeout_));
  stream.async_connect(ep, [&](beast::error_code ec) {
    if (ec) {
      result = ec;
      return;
    }
    http::async_write(stream, req, [&](beast::error_code wec, std::size_t) {
      if (wec) {
        result = wec;
        return;
      }
      http::async_read(stream, buffer, parser, [&](beast::error_code rec, std::size_t) { result = rec; });
    });
  });
  io.run();
  if (result) return make_error(fmt::format("http {}:{}: {}", host_, port_, result.message()));
  HttpReply reply;
  reply.status = static_cast<unsigned>(parser.get().result_int());
  reply.body = parser.get().body();
  return reply;
}

Result<json> RpcClient::call(const std::string& method, json params) {
  const json req{{"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", method}, {"params", std::move(params)}};
  auto reply = post(req.dump());
  if (!reply.ok()) return reply.error();
  json res = json::parse(reply.value().body, nullptr, false);
  if (res.is_discarded() || !res.is_object()) return make_error("rpc " + method + ": response is not a JSON object");
  if (auto e = res.find("error"); e != res.end()) {
    return make_error("rpc error " + e->value("code", json(0)).dump() + ": " + e->value("message", std::string("?")));
  }
  if (!res.contains("result")) return make_error("rpc " + method + ": no result");
  return res["result"];
}

}  // namespace mt::testnet
