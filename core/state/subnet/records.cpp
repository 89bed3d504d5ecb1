#include "core/state/subnet/records.hpp"

namespace mt::state::records {

namespace {

template <class T, class F>
Result<T> decode_with(ByteView payload, F&& f, std::string_view what) {
  codec::Reader r(payload);
  T value = f(r);
  if (auto st = r.finish(); !st.ok()) return make_error(std::string(what) + ": " + st.error().message);
  return value;
}

}  // namespace

Bytes encode_subnet(const SubnetInfo& s) {
  codec::Writer w(256);
  w.u32(s.netuid);
  w.fixed(s.owner);
  w.str(s.name);
  w.amount(s.min_stake);
  w.u16(s.max_neurons);
  w.u64(s.tempo_blocks);
  w.u64(s.created_at);
  w.u64(s.last_epoch_height);
  w.u16(s.neuron_count);
  w.u64(s.epochs);
  for (Amount a : {s.emitted, s.to_neurons, s.to_owner, s.to_infrastructure, s.burned, s.to_treasury}) w.amount(a);
  return w.take();
}

Result<SubnetInfo> decode_subnet(ByteView payload) {
  return decode_with<SubnetInfo>(payload, [](codec::Reader& r) {
    SubnetInfo s;
    s.netuid = r.u32();
    s.owner = r.fixed<32>();
    s.name = r.str();
    s.min_stake = r.amount();
    s.max_neurons = r.u16();
    s.tempo_blocks = r.u64();
    s.created_at = r.u64();
    s.last_epoch_height = r.u64();
    s.neuron_count = r.u16();
    s.epochs = r.u64();
    for (Amount* a : {&s.emitted, &s.to_neurons, &s.to_owner, &s.to_infrastructure, &s.burned, &s.to_treasury}) {
      *a = r.amount();
    }
    if (r.ok() && (s.max_neurons == 0 || s.tempo_blocks == 0 || s.neuron_count > s.max_neurons)) {
      r.fail("subnet limits out of range");
    }
    return s;
  }, "subnet");
}

Bytes encode_neuron(const NeuronInfo& n) {
  codec::Writer w(256);
  w.u32(n.netuid);
  w.u16(n.uid);
  w.fixed(n.hotkey);
  w.fixed(n.owner);
  w.str(n.endpoint);
  w.amount(n.stake);
  w.u64(n.registered_at);
  for (std::uint64_t v : {n.rank, n.trust, n.consensus, n.incentive, n.dividends}) w.u64(v);
  w.amount(n.last_emission);
  w.amount(n.total_emission);
  return w.take();
}

Result<NeuronInfo> decode_neuron(ByteView payload) {
  return decode_with<NeuronInfo>(payload, [](codec::Reader& r) {
    NeuronInfo n;
    n.netuid = r.u32();
    n.uid = r.u16();
    n.hotkey = r.fixed<32>();
    n.owner = r.fixed<32>();
    n.endpoint = r.str();
    n.stake = r.amount();
    n.registered_at = r.u64();
    for (std::uint64_t* v : {&n.rank, &n.trust, &n.consensus, &n.incentive, &n.dividends}) *v = r.u64();
    n.last_emission = r.amount();
    n.total_emission = r.amount();
    return n;
  }, "neuron");
}

Bytes encode_uid(std::uint16_t uid) {
  codec::Writer w(2);
  w.u16(uid);
  return w.take();
}

Result<std::uint16_t> decode_uid(ByteView payload) {
  return decode_with<std::uint16_t>(payload, [](codec::Reader& r) { return r.u16(); }, "neuron uid");
}

Bytes encode_weight_row(const WeightRow& row) {
  codec::Writer w(12 + row.weights.size() * 4);
  w.u64(row.set_at);
  encode_weights(w, row.weights);
  return w.take();
}

Result<WeightRow> decode_weight_row(ByteView payload) {
  return decode_with<WeightRow>(payload, [](codec::Reader& r) {
    WeightRow row;
    row.set_at = r.u64();
    row.weights = decode_weights(r);
    for (std::size_t i = 1; i < row.weights.size() && r.ok(); ++i) {
      if (row.weights[i - 1].uid >= row.weights[i].uid) r.fail("weight uids not strictly ascending");
    }
    return row;
  }, "weights");
}

Bytes encode_weight_commit(const WeightCommit& c) {
  codec::Writer w(40);
  w.fixed(c.commitment);
  w.u64(c.committed_at);
  return w.take();
}

Result<WeightCommit> decode_weight_commit(ByteView payload) {
  return decode_with<WeightCommit>(payload, [](codec::Reader& r) {
    WeightCommit c;
    c.commitment = r.fixed<32>();
    c.committed_at = r.u64();
    return c;
  }, "weight commitment");
}

Bytes encode_count(std::uint32_t n) {
  codec::Writer w(4);
  w.u32(n);
  return w.take();
}

Result<std::uint32_t> decode_count(ByteView payload) {
  return decode_with<std::uint32_t>(payload, [](codec::Reader& r) { return r.u32(); }, "subnet count");
}

}  // namespace mt::state::records
