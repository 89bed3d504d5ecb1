// Malformed JSON-RPC gets the spec's error objects, never an exception: bad JSON, non-objects,
// wrong versions and types, unknown methods, object params, empty and oversize batches, and
// methods that throw. Over HTTP, the server answers non-POSTs and oversize bodies with an HTTP
// error carrying a JSON-RPC error body, and keeps serving.
#include <doctest/doctest.h>

#include <thread>
#include <utility>
#include <boost/asio.hpp>

#include "testnet/json_rpc.hpp"
#include "testnet/rpc_client.hpp"
#include "testnet/rpc_server.hpp"

namespace mt::testnet {
namespace {

JsonRpc make_rpc() {
  JsonRpc rpc;
  rpc.add("add", [](const json& p) {
    auto a = param_u64(p, 0);
    auto b = param_u64(p, 1);
    if (!a || !b) return RpcReply::fail(kInvalidParams, "expected [a, b]");
    return RpcReply::ok(*a + *b);
  });
  rpc.add("boom", [](const json&) -> RpcReply { throw std::runtime_error("kaput"); });
  return rpc;
}

int error_code_of(const std::string& body) {
  const json j = json::parse(body);
  REQUIRE(j.contains("error"));
  return j["error"]["code"].get<int>();
}

TEST_CASE("a valid call returns its result with the request's id") {
  const JsonRpc rpc = make_rpc();
  const json r = json::parse(rpc.handle(R"({"jsonrpc":"2.0","id":7,"method":"add","params":[2,3]})"));
  CHECK(r["result"] == 5);
  CHECK(r["id"] == 7);
}

TEST_CASE("malformed requests get the JSON-RPC error codes of the spec") {
  const JsonRpc rpc = make_rpc();
  CHECK(error_code_of(rpc.handle("{not json")) == kParseError);
  CHECK(error_code_of(rpc.handle("")) == kParseError);
  CHECK(error_code_of(rpc.handle("42")) == kInvalidRequest);
  CHECK(error_code_of(rpc.handle(R"({"id":1,"method":"add","params":[1,2]})")) == kInvalidRequest);
  CHECK(error_code_of(rpc.handle(R"({"jsonrpc":"1.0","id":1,"method":"add"})")) == kInvalidRequest);
  CHECK(error_code_of(rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":5})")) == kInvalidRequest);
  CHECK(error_code_of(rpc.handle(R"({"jsonrpc":"2.0","id":{"x":1},"method":"add"})")) == kInvalidRequest);
  CHECK(error_code_of(rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":"nope"})")) == kMethodNotFound);
  CHECK(error_code_of(rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":"add","params":{"a":1}})")) == kInvalidParams);
  CHECK(error_code_of(rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":"add","params":["x",1]})")) == kInvalidParams);
  CHECK(error_code_of(rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[-1,1]})")) == kInvalidParams);
  CHECK(error_code_of(rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":"boom"})")) == kInternalError);
}

TEST_CASE("batches are answered element by element and bounded") {
  const JsonRpc rpc = make_rpc();
  const json r = json::parse(rpc.handle(R"([{"jsonrpc":"2.0","id":1,"method":"add","params":[1,1]},
                                             {"jsonrpc":"2.0","id":2,"method":"nope"}, 17])"));
  REQUIRE(r.size() == 3);
  CHECK(r[0]["result"] == 2);
  CHECK(r[1]["error"]["code"] == kMethodNotFound);
  CHECK(r[2]["error"]["code"] == kInvalidRequest);
  CHECK(error_code_of(rpc.handle("[]")) == kInvalidRequest);
  json big = json::array();
  for (std::size_t i = 0; i <= kMaxBatch; ++i) big.push_back({{"jsonrpc", "2.0"}, {"id", i}, {"method", "add"}});
  CHECK(error_code_of(rpc.handle(big.dump())) == kInvalidRequest);
}

TEST_CASE("a result string that is not UTF-8 is serialised with U+FFFD, never thrown") {
  JsonRpc rpc;
  rpc.add("raw", [](const json&) { return RpcReply::ok(std::string("x\xff\x80y", 4)); });
  std::string body;
  CHECK_NOTHROW(body = rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":"raw"})"));
  CHECK(json::parse(body)["result"] == "x\xef\xbf\xbd\xef\xbf\xbdy");
  CHECK(utf8_lossy("ok \xe2\x82\xac") == "ok \xe2\x82\xac");  // valid UTF-8 is kept as is
}

TEST_CASE("a method refuses more positional params than it declares") {
  JsonRpc rpc;
  rpc.add("one", [](const json&) { return RpcReply::ok(1); }, 1);
  CHECK(json::parse(rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":"one","params":[7]})"))["result"] == 1);
  CHECK(error_code_of(rpc.handle(R"({"jsonrpc":"2.0","id":1,"method":"one","params":[7,8]})")) == kInvalidParams);
}

TEST_CASE("notifications get no response") {
  const JsonRpc rpc = make_rpc();
  CHECK(rpc.handle(R"({"jsonrpc":"2.0","method":"add","params":[1,2]})").empty());
}

TEST_CASE("the HTTP server answers bad verbs and oversize bodies with errors and keeps serving") {
  const JsonRpc rpc = make_rpc();
  boost::asio::io_context io;
  RpcServer server(io, rpc, "127.0.0.1", 0);
  REQUIRE(server.listen().ok());
  auto guard = boost::asio::make_work_guard(io);
  std::thread runner([&io] { io.run(); });
  RpcClient client("127.0.0.1", server.port(), 5 * kUsPerSec);

  auto get = client.post("", "GET");
  REQUIRE(get.ok());
  CHECK(get.value().status == 405);
  CHECK(error_code_of(get.value().body) == kInvalidRequest);

  auto huge = client.post(std::string(RpcServer::kMaxBodyBytes + 10, ' '));
  REQUIRE(huge.ok());
  CHECK(huge.value().status == 413);

  auto garbage = client.post("]]]");
  REQUIRE(garbage.ok());
  CHECK(garbage.value().status == 200);
  CHECK(error_code_of(garbage.value().body) == kParseError);

  auto sum = client.call("add", json::array({20, 22}));
  REQUIRE(sum.ok());
  CHECK(sum.value() == 42);
  auto missing = client.call("nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("-32601") != std::string::npos);

  boost::asio::post(io, [&] { server.stop(); guard.reset(); });
  runner.join();
}

TEST_CASE("admin methods answer only a bearer of the admin token over HTTP") {
  JsonRpc rpc;
  rpc.add_admin("secret", [](const json&) { return RpcReply::ok(1); }, 0);
  boost::asio::io_context io;
  RpcServer server(io, rpc, "127.0.0.1", 0, "s3cret");
  REQUIRE(server.listen().ok());
  auto guard = boost::asio::make_work_guard(io);
  std::thread runner([&io] { io.run(); });
  RpcClient anon("127.0.0.1", server.port(), 5 * kUsPerSec);
  auto refused = anon.call("secret");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("-32001") != std::string::npos);
  RpcClient wrong("127.0.0.1", server.port(), 5 * kUsPerSec);
  wrong.set_admin_token("s3creT");
  CHECK_FALSE(wrong.call("secret").ok());
  auto no_metrics = anon.post("", "GET", "/metrics");  // no metrics source: a plain 405
  REQUIRE(no_metrics.ok());
  CHECK(no_metrics.value().status == 405);
  RpcClient admin("127.0.0.1", server.port(), 5 * kUsPerSec);
  admin.set_admin_token("s3cret");
  auto ok = admin.call("secret");
  REQUIRE(ok.ok());
  CHECK(ok.value() == 1);
  boost::asio::post(io, [&] { server.stop(); guard.reset(); });
  runner.join();
}

TEST_CASE("a client call to a port nobody listens on fails within its timeout") {
  RpcClient client("127.0.0.1", 1, 500 * kUsPerMs);
  CHECK_FALSE(client.call("mt_status").ok());
}

}  // namespace
}  // namespace mt::testnet
