// Typed access to the AI layer's records (subnet_records.hpp): SubnetView reads them from a
// finished State or from a StateBuilder in the middle of a block; SubnetWriter writes them
// through a StateBuilder. Absent records read as nullopt.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "core/state/state.hpp"
#include "core/state/state_builder.hpp"
#include "core/state/subnet/records.hpp"

namespace mt::state {

// The DAO treasury: an account no one holds a key for (its address is a hash, not a public key).
// Its balance is the treasury; check_supply counts it like any account.
Address treasury_address();

class SubnetView {
 public:
  explicit SubnetView(const State& s);
  explicit SubnetView(const StateBuilder& b);

  [[nodiscard]] std::uint32_t subnet_count() const;  // netuids [0, subnet_count) exist
  [[nodiscard]] std::optional<SubnetInfo> subnet(std::uint32_t netuid) const;
  [[nodiscard]] std::optional<NeuronInfo> neuron(std::uint32_t netuid, std::uint16_t uid) const;
  // Every neuron of the subnet, by uid (empty if the subnet does not exist).
  [[nodiscard]] std::vector<NeuronInfo> neurons(std::uint32_t netuid) const;
  [[nodiscard]] std::optional<std::uint16_t> uid_of(std::uint32_t netuid, const Address& hotkey) const;
  [[nodiscard]] std::optional<WeightRow> weights(std::uint32_t netuid, std::uint16_t uid) const;
  [[nodiscard]] std::optional<WeightCommit> commit(std::uint32_t netuid, std::uint16_t uid) const;

 private:
  std::function<std::optional<ByteView>(const Bytes&)> read_;
};

class SubnetWriter {
 public:
  explicit SubnetWriter(StateBuilder& b) : b_(b) {}
  void put_subnet_count(std::uint32_t n);
  void put_subnet(const SubnetInfo& s);
  void put_neuron(const NeuronInfo& n);
  void put_uid_of(std::uint32_t netuid, const Address& hotkey, std::optional<std::uint16_t> uid);  // nullopt deletes
  void put_weights(std::uint32_t netuid, std::uint16_t uid, const std::optional<WeightRow>& row);
  void put_commit(std::uint32_t netuid, std::uint16_t uid, const std::optional<WeightCommit>& c);

 private:
  StateBuilder& b_;
};

}  // namespace mt::state
