#include "core/state/subnet/store.hpp"

#include "core/crypto/hash.hpp"
#include "core/state/records.hpp"

namespace mt::state {

namespace rec = records;

namespace {
// Records come from our own encoders or a verified map: a decode failure is a bug.
template <class T>
T must(Result<T> r) {
  MT_ASSERT(r.ok(), "subnet record failed to decode: " + (r.ok() ? std::string() : r.error().message));
  return std::move(r).value();
}

template <class T, class F>
std::optional<T> read_as(const std::function<std::optional<ByteView>(const Bytes&)>& read, const Bytes& key, F decode) {
  auto p = read(key);
  if (!p) return std::nullopt;
  return must(decode(*p));
}
}  // namespace

Address treasury_address() {
  static const Address a = [] {
    Address out;
    const Hash32 h = crypto::tagged_hash("mt/treasury", Bytes{});
    std::copy(h.data.begin(), h.data.end(), out.data.begin());
    return out;
  }();
  return a;
}

SubnetView::SubnetView(const State& s) {
  const MerkleMap* map = &s.map();
  read_ = [map](const Bytes& lk) -> std::optional<ByteView> {
    const auto v = map->get(rec::map_key(lk));
    if (!v) return std::nullopt;
    MT_ASSERT(v->size() >= lk.size(), "stored value shorter than its key");
    return v->subspan(lk.size());
  };
}

SubnetView::SubnetView(const StateBuilder& b) {
  const StateBuilder* builder = &b;
  read_ = [builder](const Bytes& lk) { return builder->read_record(lk); };
}

std::uint32_t SubnetView::subnet_count() const {
  return read_as<std::uint32_t>(read_, rec::singleton_key(rec::Kind::subnet_count), rec::decode_count).value_or(0);
}

std::optional<SubnetInfo> SubnetView::subnet(std::uint32_t netuid) const {
  return read_as<SubnetInfo>(read_, rec::subnet_key(netuid), rec::decode_subnet);
}

std::optional<NeuronInfo> SubnetView::neuron(std::uint32_t netuid, std::uint16_t uid) const {
  return read_as<NeuronInfo>(read_, rec::neuron_key(netuid, uid), rec::decode_neuron);
}

std::vector<NeuronInfo> SubnetView::neurons(std::uint32_t netuid) const {
  std::vector<NeuronInfo> out;
  auto s = subnet(netuid);
  if (!s) return out;
  out.reserve(s->neuron_count);
  for (std::uint16_t uid = 0; uid < s->neuron_count; ++uid) {
    auto n = neuron(netuid, uid);
    MT_ASSERT(n.has_value(), "subnet lists a uid without a neuron record");
    out.push_back(std::move(*n));
  }
  return out;
}

std::optional<std::uint16_t> SubnetView::uid_of(std::uint32_t netuid, const Address& hotkey) const {
  return read_as<std::uint16_t>(read_, rec::neuron_hotkey_key(netuid, hotkey), rec::decode_uid);
}

std::optional<WeightRow> SubnetView::weights(std::uint32_t netuid, std::uint16_t uid) const {
  return read_as<WeightRow>(read_, rec::weights_key(netuid, uid), rec::decode_weight_row);
}

std::optional<WeightCommit> SubnetView::commit(std::uint32_t netuid, std::uint16_t uid) const {
  return read_as<WeightCommit>(read_, rec::weight_commit_key(netuid, uid), rec::decode_weight_commit);
}

void SubnetWriter::put_subnet_count(std::uint32_t n) {
  b_.write_record(rec::singleton_key(rec::Kind::subnet_count), rec::encode_count(n));
}

void SubnetWriter::put_subnet(const SubnetInfo& s) { b_.write_record(rec::subnet_key(s.netuid), rec::encode_subnet(s)); }

void SubnetWriter::put_neuron(const NeuronInfo& n) {
  b_.write_record(rec::neuron_key(n.netuid, n.uid), rec::encode_neuron(n));
}

void SubnetWriter::put_uid_of(std::uint32_t netuid, const Address& hotkey, std::optional<std::uint16_t> uid) {
  b_.write_record(rec::neuron_hotkey_key(netuid, hotkey), uid ? std::optional<Bytes>(rec::encode_uid(*uid)) : std::nullopt);
}

void SubnetWriter::put_weights(std::uint32_t netuid, std::uint16_t uid, const std::optional<WeightRow>& row) {
  b_.write_record(rec::weights_key(netuid, uid), row ? std::optional<Bytes>(rec::encode_weight_row(*row)) : std::nullopt);
}

void SubnetWriter::put_commit(std::uint32_t netuid, std::uint16_t uid, const std::optional<WeightCommit>& c) {
  b_.write_record(rec::weight_commit_key(netuid, uid),
                  c ? std::optional<Bytes>(rec::encode_weight_commit(*c)) : std::nullopt);
}

}  // namespace mt::state
