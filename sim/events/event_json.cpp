#include "sim/events/event_json.hpp"

#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace mt::sim {

namespace {

std::int64_t index_of(const AddressIndex& index, const Address& a) {
  auto it = index.find(a);
  return it == index.end() ? -1 : it->second;
}

// Appends `, "fields..."` of one event kind; `kind` goes in the common prefix.
struct Fields {
  std::string& out;
  const AddressIndex& index;
  template <class... Args>
  void put(fmt::format_string<Args...> f, Args&&... args) {
    fmt::format_to(std::back_inserter(out), f, std::forward<Args>(args)...);
  }
};

std::string_view kind_of(const ConsensusEvent& e) {
  static constexpr std::string_view kNames[] = {"height_started", "round_started", "proposal_received",
                                                "prevote_judged", "polka", "lock", "valid_value",
                                                "timeout_scheduled", "timeout_fired", "decided"};
  return kNames[e.index()];
}

std::string_view kind_of(const Event& e) {
  static constexpr std::string_view kNames[] = {"proposal_made", "vote", "committed", "evidence_found",
                                                "slash", "sync_started", "sync_finished", "message_rejected",
                                                "node_started", "tx_admitted", "tx_dropped", ""};
  if (const auto* c = std::get_if<ConsensusEvent>(&e)) return kind_of(*c);
  return kNames[e.index()];
}

void put_consensus(Fields& f, const ConsensusEvent& ev) {
  if (const auto* e = std::get_if<HeightStarted>(&ev)) {
    f.put(",\"height\":{},\"validators\":{},\"total_power\":{},\"round0_at_us\":{}", e->height, e->validators,
          e->total_power, e->round0_at);
    return;
  }
  if (const auto* e = std::get_if<RoundStarted>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"reason\":\"{}\",\"proposer\":{}", e->height, e->round,
          round_reason_name(e->reason), index_of(f.index, e->proposer));
    return;
  }
  if (const auto* e = std::get_if<ProposalReceived>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"pol_round\":{},\"proposer\":{},\"block\":{},\"verdict\":\"{}\"", e->height,
          e->round, e->pol_round, index_of(f.index, e->proposer), block_json(e->block_hash),
          proposal_verdict_name(e->verdict));
    return;
  }
  if (const auto* e = std::get_if<PrevoteJudged>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"block\":{},\"reason\":\"{}\",\"locked_round\":{}", e->height, e->round,
          block_json(e->block_hash), prevote_reason_name(e->reason), e->locked_round);
    return;
  }
  if (const auto* e = std::get_if<PolkaSeen>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"block\":{}", e->height, e->round, block_json(e->block_hash));
    return;
  }
  if (const auto* e = std::get_if<LockChanged>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"block\":{}", e->height, e->round, block_json(e->block_hash));
    return;
  }
  if (const auto* e = std::get_if<ValidValueSet>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"block\":{}", e->height, e->round, block_json(e->block_hash));
    return;
  }
  if (const auto* e = std::get_if<TimeoutScheduled>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"step\":\"{}\",\"delay_us\":{}", e->height, e->round,
          consensus_step_name(e->step), e->delay_us);
    return;
  }
  if (const auto* e = std::get_if<TimeoutFired>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"step\":\"{}\"", e->height, e->round, consensus_step_name(e->step));
    return;
  }
  if (const auto* e = std::get_if<Decided>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"block\":{}", e->height, e->round, block_json(e->block_hash));
  }
}

void put_node_event(Fields& f, const Event& ev) {
  if (const auto* e = std::get_if<ProposalMade>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"block\":{},\"txs\":{}", e->height, e->round, block_json(e->block_hash),
          e->tx_count);
    return;
  }
  if (const auto* e = std::get_if<VoteCast>(&ev)) {
    f.put(",\"type\":\"{}\",\"height\":{},\"round\":{},\"block\":{},\"locked_round\":{}", vote_type_name(e->type),
          e->height, e->round, block_json(e->block_hash), e->locked_round);
    return;
  }
  if (const auto* e = std::get_if<BlockCommitted>(&ev)) {
    f.put(",\"height\":{},\"round\":{},\"block\":{},\"proposer\":{},\"txs\":{},\"evidence\":{},\"via_sync\":{}",
          e->height, e->round, block_json(e->block_hash), index_of(f.index, e->proposer), e->tx_hashes.size(),
          e->evidence_count, e->via_sync);
    return;
  }
  if (const auto* e = std::get_if<EvidenceFound>(&ev)) {
    f.put(",\"validator\":{},\"height\":{},\"round\":{},\"type\":\"{}\"", index_of(f.index, e->validator), e->height,
          e->round, vote_type_name(e->type));
    return;
  }
  if (const auto* e = std::get_if<SlashApplied>(&ev)) {
    f.put(",\"validator\":{},\"height\":{},\"double_sign\":{},\"amount\":{}", index_of(f.index, e->validator),
          e->height, e->double_sign, amount_to_string(e->amount));
    return;
  }
  if (const auto* e = std::get_if<SyncStarted>(&ev)) {
    f.put(",\"from_height\":{},\"target_height\":{}", e->from_height, e->target_height);
    return;
  }
  if (const auto* e = std::get_if<SyncFinished>(&ev)) {
    f.put(",\"height\":{}", e->height);
    return;
  }
  if (const auto* e = std::get_if<MessageRejected>(&ev)) {
    f.put(",\"message_kind\":{},\"from\":{}", e->kind, e->from);
    return;
  }
  if (const auto* e = std::get_if<NodeStarted>(&ev)) {
    f.put(",\"height\":{},\"blocks_replayed\":{},\"record_height\":{},\"record_round\":{},\"locked_round\":{},"
          "\"valid_round\":{},\"signing_disabled\":{}",
          e->height, e->blocks_replayed, e->record_height, e->record_round, e->locked_round, e->valid_round,
          e->signing_disabled);
    return;
  }
  if (const auto* e = std::get_if<TxAdmitted>(&ev)) {
    f.put(",\"tx\":\"{}\",\"sender\":\"{}\",\"nonce\":{}", to_hex(e->tx->hash().view().first(8)),
          to_hex(e->tx->tx().sender.view().first(8)), e->tx->tx().nonce);
    return;
  }
  if (const auto* e = std::get_if<TxDropped>(&ev)) {
    f.put(",\"tx\":\"{}\",\"reason\":\"{}\"", to_hex(e->tx_hash.view().first(8)), drop_reason_name(e->reason));
    return;
  }
  if (const auto* e = std::get_if<ConsensusEvent>(&ev)) {
    put_consensus(f, *e);
  }
}

}  // namespace

// JSON string escaping for names and ids (quotes, backslashes and control characters).
std::string json_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string block_json(const Hash32& h) {
  if (h.is_zero()) return "null";
  return fmt::format("\"{}\"", to_hex(h.view().first(8)));
}

std::optional<std::uint64_t> event_height(const Event& e) {
  if (const auto* c = std::get_if<ConsensusEvent>(&e)) {
    return std::visit([](const auto& x) { return x.height; }, *c);
  }
  if (const auto* s = std::get_if<SyncStarted>(&e)) return s->target_height;
  if (std::holds_alternative<MessageRejected>(e) || std::holds_alternative<NodeStarted>(e)) return std::nullopt;
  return std::visit(
      [](const auto& x) -> std::optional<std::uint64_t> {
        if constexpr (requires { x.height; }) {
          return x.height;
        } else {
          return std::nullopt;
        }
      },
      e);
}

void append_event_json(std::string& out, TimeUs t, std::uint64_t seq, std::size_t node, const Event& e,
                       const AddressIndex& index) {
  fmt::format_to(std::back_inserter(out), "{{\"t\":{},\"seq\":{},\"node\":{},\"kind\":\"{}\"", t, seq, node, kind_of(e));
  Fields f{out, index};
  put_node_event(f, e);
  out += "}\n";
}

void append_world_json(std::string& out, TimeUs t, std::uint64_t seq, const WorldEvent& e) {
  if (e.kind == "byzantine") {
    fmt::format_to(std::back_inserter(out),
                   "{{\"t\":{},\"seq\":{},\"node\":{},\"kind\":\"byzantine\",\"behavior\":{},\"action\":{},"
                   "\"height\":{},\"round\":{}}}\n",
                   t, seq, e.nodes.empty() ? std::size_t{0} : e.nodes.front(), json_quoted(e.fault_kind),
                   json_quoted(e.action), e.height, e.round);
    return;
  }
  const std::string node = e.nodes.size() == 1 && (e.kind == "crash" || e.kind == "restart")
                               ? fmt::format("{}", e.nodes.front())
                               : std::string("null");
  fmt::format_to(std::back_inserter(out), "{{\"t\":{},\"seq\":{},\"node\":{},\"kind\":\"{}\",\"fault\":{},"
                 "\"fault_kind\":{},\"targets\":{},\"nodes\":[{}]}}\n",
                 t, seq, node, e.kind, json_quoted(e.fault), json_quoted(e.fault_kind), json_quoted(e.targets),
                 fmt::join(e.nodes, ","));
}

}  // namespace mt::sim
