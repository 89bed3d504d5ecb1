// How busy each of a set of resources was over simulated time (a node's CPU, a node's uplink or
// downlink, a link): busy intervals are summed into fixed buckets, so a window chosen at the end
// of the run (the steady window) can be measured without keeping every interval. Integers only;
// a window that cuts a bucket takes its share of the bucket's busy time pro rata.
//
//   BusyMeter cpu;                       // one-second buckets
//   cpu.add(node, start_us, end_us);     // the node worked over [start, end)
//   cpu.busy_within(node, from, until);  // busy microseconds inside [from, until)
#pragma once

#include <cstddef>
#include <vector>

#include "core/util/time.hpp"

namespace mt::sim {

class BusyMeter {
 public:
  explicit BusyMeter(TimeUs bucket_us = kUsPerSec);

  // Resource `id` was busy over [from, until). Resources are created on first use.
  void add(std::size_t id, TimeUs from, TimeUs until);
  // Busy microseconds of `id` inside [from, until) (0 for a resource never used).
  [[nodiscard]] TimeUs busy_within(std::size_t id, TimeUs from, TimeUs until) const;
  // One past the highest resource id ever used.
  [[nodiscard]] std::size_t size() const { return busy_.size(); }

 private:
  TimeUs bucket_us_;
  std::vector<std::vector<TimeUs>> busy_;  // id -> bucket -> busy microseconds
};

// The largest value a sampled quantity (a node's mempool size) reached, per bucket, and where.
class PeakMeter {
 public:
  explicit PeakMeter(TimeUs bucket_us = kUsPerSec);

  void sample(std::size_t who, TimeUs t, std::size_t value);
  struct Peak {
    std::size_t value = 0;
    std::size_t who = 0;
    bool any = false;
  };
  // The highest sample taken inside [from, until), bucket-granular (a bucket the window touches counts).
  [[nodiscard]] Peak peak_within(TimeUs from, TimeUs until) const;

 private:
  TimeUs bucket_us_;
  std::vector<Peak> peaks_;  // bucket -> highest sample
};

}  // namespace mt::sim
