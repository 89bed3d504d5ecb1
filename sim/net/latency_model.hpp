// One-way latency between nodes: nodes live in zones; each ordered zone pair has a delay
// distribution (the default shape, re-centred on the matrix entry when there is one), plus
// uniform jitter in [0, jitter]. Matrices come inline or from a CSV in the format of
// scenarios/data/aws-latencies.csv (header "From/to,<zone>,...", one row per source zone,
// one-way milliseconds).
//
//   LatencyModel m({"us", "eu"}, Distribution::lognormal(60'000, 0.35));
//   m.set_pair(0, 1, ms(38), /*symmetric=*/true);
//   m.set_jitter(ms(4));
//   m.assign_zones({0, 0, 1});              // node -> zone
//   TimeUs d = m.sample(0, 2, rng);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/node/wire.hpp"
#include "core/util/result.hpp"
#include "core/util/time.hpp"
#include "sim/engine/random.hpp"
#include "sim/net/distribution.hpp"

namespace mt::sim {

class LatencyModel {
 public:
  static constexpr TimeUs kMaxDelayUs = 3600 * kUsPerSec;  // a sampled delay is clamped here
  static constexpr std::size_t kMaxZones = 256;

  // One zone, every node in it, the given distribution for every link.
  explicit LatencyModel(Distribution everywhere = Distribution::constant(0));
  LatencyModel(std::vector<std::string> zones, Distribution default_shape);
  // Parses a CSV matrix; every pair gets default_shape re-centred on the CSV value.
  static Result<LatencyModel> from_csv(std::string_view csv_text, Distribution default_shape);
  static Result<LatencyModel> from_csv_file(const std::string& path, Distribution default_shape);

  [[nodiscard]] const std::vector<std::string>& zones() const { return zones_; }
  [[nodiscard]] Result<std::uint32_t> zone_index(std::string_view name) const;

  // Centre of the from->to zone pair's distribution set to one_way (and to->from if symmetric).
  void set_pair(std::uint32_t from_zone, std::uint32_t to_zone, TimeUs one_way, bool symmetric);
  void set_pair_distribution(std::uint32_t from_zone, std::uint32_t to_zone, Distribution d);
  void set_jitter(TimeUs jitter_us);
  // node -> zone; nodes beyond the list are in zone 0. Error on an unknown zone index.
  Status assign_zones(std::vector<std::uint32_t> node_zone);
  [[nodiscard]] std::uint32_t zone_of(PeerId node) const {
    return node < node_zone_.size() ? node_zone_[node] : 0;
  }
  [[nodiscard]] const Distribution& pair(std::uint32_t from_zone, std::uint32_t to_zone) const {
    return matrix_[from_zone * zones_.size() + to_zone];
  }

  // One one-way delay for a message from -> to, in [0, kMaxDelayUs].
  [[nodiscard]] TimeUs sample(PeerId from, PeerId to, Rng& rng) const;
  // True if every delay is a fixed number (no draws needed): lets the network skip the rng.
  [[nodiscard]] bool deterministic() const;

 private:
  std::vector<std::string> zones_;
  std::vector<Distribution> matrix_;  // zones x zones, row = from
  std::vector<std::uint32_t> node_zone_;
  TimeUs jitter_us_ = 0;
};

}  // namespace mt::sim
