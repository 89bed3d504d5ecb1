// The envelope of `mtsim explore`: the space seeds draw scenarios from, as ranges and on/off
// lists. A small YAML file (docs/explore.md); every key optional, defaults below. Loaded strictly
// like a scenario: unknown keys (with a hint), wrong types, bad units, empty or inverted ranges and
// unknown kinds are errors, all listed at once as "file:line:column: message".
//
//   validators: [4, 16]          # most seeds
//   faults: [crash, split]       # kinds a seed may switch on
//   behaviours: []               # no byzantine validators
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.hpp"
#include "core/util/time.hpp"
#include "sim/scenario/units.hpp"

namespace mt::sim::explore {

// An inclusive range [lo, hi].
template <class T>
struct Span {
  T lo{};
  T hi{};
  bool operator==(const Span&) const = default;
};

// Limits that keep a seed a seed (a typo such as 100000 validators is an error, not an hour).
constexpr std::uint64_t kMaxValidators = 1000;
constexpr std::uint64_t kMinValidators = 4;       // fewer cannot hold a byzantine validator under 1/3
constexpr std::uint64_t kMaxFaultsPerSeed = 16;
constexpr std::uint64_t kMaxLoadTps = 2000;
constexpr TimeUs kMinBlockTimeUs = 100 * kUsPerMs;
constexpr TimeUs kMaxFaultPhaseUs = 600 * kUsPerSec;

struct Envelope {
  std::string file;                                   // empty: the built-in defaults
  Span<std::uint64_t> validators{4, 24};              // genesis validators of most seeds
  Span<std::uint64_t> big_validators{100, 120};       // ... of the rare big seeds
  Ppm big_fraction = 20'000;                          // share of seeds that are big (2%)
  Span<TimeUs> fault_phase{10 * kUsPerSec, 30 * kUsPerSec};  // faults start and heal inside it
  Span<TimeUs> block_time{500 * kUsPerMs, 2 * kUsPerSec};
  Span<TimeUs> latency{2 * kUsPerMs, 60 * kUsPerMs};  // median one-way delay
  Span<Ppm> loss{0, 5'000};                           // background message loss
  Span<std::uint64_t> load_tps{0, 30};
  std::vector<std::string> load_txs{"transfer", "stake", "delegate", "mix", "set_weights", "register_neuron"};
  std::vector<std::string> stake_shapes{"equal", "skewed", "whale"};
  std::vector<std::string> topologies{"full_mesh", "random_regular", "small_world"};
  std::vector<std::string> faults;      // default: every kind (kFaultKinds)
  std::vector<std::string> behaviours;  // default: every behaviour
  Span<std::uint64_t> faults_per_seed{0, 5};
  Ppm over_third_fraction = 100'000;    // seeds whose byzantine stake is at least 1/3 (10%)
  Ppm fast_crypto_fraction = 500'000;   // seeds on the fast crypto backend (big seeds always)
  bool operator==(const Envelope&) const = default;
};

// The built-in envelope (what `mtsim explore` uses without a file).
Envelope default_envelope();

Result<Envelope> load_envelope(const std::string& path);
// From text; `file` names it in messages.
Result<Envelope> parse_envelope(std::string_view text, const std::string& file);

// Vocabularies of the on/off lists.
extern const std::vector<std::string> kStakeShapes;
extern const std::vector<std::string> kTopologies;
extern const std::vector<std::string> kLoadTxs;

}  // namespace mt::sim::explore
