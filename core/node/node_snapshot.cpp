#include "core/node/node_snapshot.hpp"

namespace mt {

namespace {

std::vector<ValidatorSnapshot> snapshot_validators(const state::State& st) {
  std::vector<ValidatorSnapshot> out;
  out.reserve(st.validator_addresses().size());
  for (const Address& a : st.validator_addresses()) {
    auto info = st.validator(a);
    if (!info) continue;
    const ValidatorEntry* entry = st.validator_set().find(a);
    out.push_back(ValidatorSnapshot{a, info->bonded(), entry != nullptr ? entry->power : 0, info->jailed,
                                    info->jailed_until, info->tombstoned});
  }
  return out;
}

}  // namespace

NodeSnapshot snapshot_node(const Node& node) {
  NodeSnapshot out;
  out.started = node.started();
  out.syncing = node.syncing();
  out.signing_disabled = node.signing_disabled();
  const state::State& st = *node.state();
  out.state_height = st.height();
  out.last_block_hash = st.last_block_hash();
  out.state_root = st.root();
  out.mempool_txs = node.mempool().size();
  out.mempool_bytes = node.mempool().size_bytes();
  out.evidence_pending = node.evidence_pool().size();
  out.peers.assign(node.peers().begin(), node.peers().end());
  out.validators = snapshot_validators(st);
  if (node.consensus() != nullptr) out.consensus = snapshot_consensus(*node.consensus());
  return out;
}

}  // namespace mt
