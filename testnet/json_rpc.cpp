#include "testnet/json_rpc.hpp"

#include <exception>

#include <fmt/format.h>

namespace mt::testnet {

json error_response(const json& id, int code, const std::string& message) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

std::string dump_json(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string utf8_lossy(std::string_view bytes) {
  // Serialising a JSON string with the replace handler is the validator we already trust; strip
  // the quotes it adds and the escapes it writes by parsing it back.
  return json::parse(dump_json(json(std::string(bytes)))).get<std::string>();
}

json JsonRpc::handle_one(const json& req, bool admin) const {
  if (!req.is_object()) return error_response(nullptr, kInvalidRequest, "a request must be an object");
  json id = nullptr;
  const bool notification = !req.contains("id");
  if (!notification) {
    id = req["id"];
    if (!id.is_string() && !id.is_number() && !id.is_null()) {
      return error_response(nullptr, kInvalidRequest, "id must be a string, a number or null");
    }
  }
  auto v = req.find("jsonrpc");
  if (v == req.end() || !v->is_string() || *v != "2.0") return error_response(id, kInvalidRequest, "jsonrpc must be \"2.0\"");
  auto m = req.find("method");
  if (m == req.end() || !m->is_string()) return error_response(id, kInvalidRequest, "method must be a string");
  json params = json::array();
  if (auto p = req.find("params"); p != req.end()) {
    if (!p->is_array()) return error_response(id, kInvalidParams, "params must be an array (positional)");
    params = *p;
  }
  auto it = methods_.find(m->get<std::string>());
  if (it == methods_.end()) return error_response(id, kMethodNotFound, "no method " + m->get<std::string>());
  if (it->second.admin && !admin) {
    return error_response(id, kUnauthorized, it->first + " is an admin method: send the node's admin token "
                                                        "(Authorization: Bearer, from DATA_DIR/admin.token)");
  }
  if (params.size() > it->second.max_params) {
    return error_response(id, kInvalidParams, fmt::format("{} takes at most {} params", it->first, it->second.max_params));
  }
  RpcReply reply;
  try {
    reply = it->second.method(params);
  } catch (const std::exception& e) {
    reply = RpcReply::fail(kInternalError, std::string("internal error: ") + e.what());
  }
  if (notification) return nullptr;
  if (reply.error) return error_response(id, reply.error->code, reply.error->message);
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(reply.result)}};
}

std::string JsonRpc::handle(std::string_view body, bool admin) const {
  json req = json::parse(body.begin(), body.end(), nullptr, false);
  if (req.is_discarded()) return dump_json(error_response(nullptr, kParseError, "parse error: not JSON"));
  if (!req.is_array()) {
    json r = handle_one(req, admin);
    return r.is_null() ? std::string() : dump_json(r);
  }
  if (req.empty()) return dump_json(error_response(nullptr, kInvalidRequest, "empty batch"));
  if (req.size() > kMaxBatch) {
    return dump_json(
        error_response(nullptr, kInvalidRequest, fmt::format("batch of {} exceeds {}", req.size(), kMaxBatch)));
  }
  json out = json::array();
  for (const auto& r : req) {
    json one = handle_one(r, admin);
    if (!one.is_null()) out.push_back(std::move(one));
  }
  return out.empty() ? std::string() : dump_json(out);
}

std::optional<std::uint64_t> param_u64(const json& params, std::size_t i) {
  if (!params.is_array() || i >= params.size()) return std::nullopt;
  const json& p = params[i];
  if (p.is_number_unsigned()) return p.get<std::uint64_t>();
  if (p.is_number_integer() && p.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(p.get<std::int64_t>());
  return std::nullopt;
}

std::optional<std::string> param_string(const json& params, std::size_t i) {
  if (!params.is_array() || i >= params.size() || !params[i].is_string()) return std::nullopt;
  return params[i].get<std::string>();
}

bool param_bool(const json& params, std::size_t i, bool fallback) {
  if (!params.is_array() || i >= params.size() || !params[i].is_boolean()) return fallback;
  return params[i].get<bool>();
}

}  // namespace mt::testnet
