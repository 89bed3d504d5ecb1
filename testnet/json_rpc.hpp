// JSON-RPC 2.0 dispatch (transport-agnostic: rpc_server.hpp carries it over HTTP). A request is
// parsed, checked against the spec (jsonrpc "2.0", string method, array or object params, id a
// string, number or null), routed to a registered method and answered; every malformed input gets
// the spec's error object, never an exception out of handle().
//
//   -32700 parse error      the body is not JSON
//   -32600 invalid request  not a request object, or a batch that is empty or too long
//   -32601 method not found
//   -32602 invalid params   (methods report their own)
//   -32603 internal error   a method threw
//   -32000 server error     the call was valid but failed (e.g. a transaction not admitted)
//   -32001 unauthorized     an admin method called without the node's admin token
//
// The serialiser never throws: a string that is not valid UTF-8 (a subnet name or an endpoint is
// raw bytes from a transaction) has each invalid byte replaced by U+FFFD in the JSON text. Methods
// that return such strings also return the exact bytes as hex beside them (e.g. "nameHex").
// Each method declares how many positional params it takes at most; more is -32602.
#pragma once

#include <functional>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace mt::testnet {

using json = nlohmann::json;

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kServerError = -32000;
inline constexpr int kUnauthorized = -32001;  // an admin method without the admin token
inline constexpr std::size_t kMaxBatch = 64;  // requests in one batch

struct RpcError {
  int code = kInternalError;
  std::string message;
};

// A method's answer: a result, or an error object.
struct RpcReply {
  json result;
  std::optional<RpcError> error;
  static RpcReply ok(json value) { return RpcReply{std::move(value), std::nullopt}; }
  static RpcReply fail(int code, std::string message) { return RpcReply{nullptr, RpcError{code, std::move(message)}}; }
};

class JsonRpc {
 public:
  // `params` is always an array (an absent params is an empty array; object params are refused).
  using Method = std::function<RpcReply(const json& params)>;

  static constexpr std::size_t kAnyParams = SIZE_MAX;
  void add(const std::string& name, Method method, std::size_t max_params = kAnyParams) {
    methods_[name] = Entry{std::move(method), max_params, false};
  }
  // A method only callers holding the admin token may call (handle(body, true)).
  void add_admin(const std::string& name, Method method, std::size_t max_params = kAnyParams) {
    methods_[name] = Entry{std::move(method), max_params, true};
  }
  [[nodiscard]] bool has(const std::string& name) const { return methods_.contains(name); }
  // The response body; empty when every request was a notification (no id).
  // `admin`: the caller presented the admin token.
  [[nodiscard]] std::string handle(std::string_view body, bool admin = false) const;
  [[nodiscard]] json handle_one(const json& request, bool admin = false) const;  // null for a notification

 private:
  struct Entry {
    Method method;
    std::size_t max_params = kAnyParams;
    bool admin = false;
  };
  std::map<std::string, Entry> methods_;
};

json error_response(const json& id, int code, const std::string& message);
// JSON text that never throws: invalid UTF-8 bytes in strings become U+FFFD.
std::string dump_json(const json& j);
// A string as valid UTF-8 (invalid bytes become U+FFFD), for text that came from the chain.
std::string utf8_lossy(std::string_view bytes);

// Parameter helpers for methods: each returns nullopt when the parameter is absent or mistyped.
std::optional<std::uint64_t> param_u64(const json& params, std::size_t i);
std::optional<std::string> param_string(const json& params, std::size_t i);
bool param_bool(const json& params, std::size_t i, bool fallback);

}  // namespace mt::testnet
