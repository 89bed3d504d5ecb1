// Unit parsing: a decimal number split into an integer mantissa and a count of decimals, times the
// unit's factor, divided exactly. All arithmetic is 128-bit, so no intermediate step can overflow
// before the range check.
#include "sim/scenario/units.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>

namespace mt::sim {
namespace {

struct Decimal {
  UInt128 mantissa = 0;
  int decimals = 0;       // value = mantissa / 10^decimals
  std::string_view unit;  // what follows the number
};

constexpr int kMaxDigits = 30;

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// Reads `12`, `1.5`, `10_000` from the front of text. Error on no digits or too many.
Result<Decimal> read_decimal(std::string_view text) {
  Decimal d;
  std::size_t i = 0;
  int digits = 0;
  bool dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_' && digits > 0) continue;
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    if (++digits > kMaxDigits) return make_error("number too long in " + quoted(text));
    d.mantissa = d.mantissa * 10 + static_cast<UInt128>(c - '0');
    if (dot) ++d.decimals;
  }
  if (digits == 0) return make_error("expected a number in " + quoted(text));
  if (text[i - 1] == '.') return make_error("a number may not end with '.' in " + quoted(text));
  d.unit = text.substr(i);
  while (!d.unit.empty() && d.unit.front() == ' ') d.unit.remove_prefix(1);
  return d;
}

UInt128 pow10(int n) {
  UInt128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

// mantissa * factor / 10^decimals, exactly, or an error naming what was lost.
Result<UInt128> scale_exact(const Decimal& d, UInt128 factor, std::string_view text, const char* what) {
  const UInt128 num = d.mantissa * factor;  // < 10^30 * 2^60: fits in 128 bits
  const UInt128 den = pow10(d.decimals);
  if (num % den != 0) return make_error(quoted(text) + " is finer than one " + what);
  return num / den;
}

struct Unit {
  std::string_view name;
  std::uint64_t factor;
};

template <std::size_t N>
const Unit* find_unit(const std::array<Unit, N>& units, std::string_view name) {
  for (const auto& u : units) {
    if (u.name == name) return &u;
  }
  return nullptr;
}

template <std::size_t N>
std::string unit_list(const std::array<Unit, N>& units) {
  std::string s;
  for (const auto& u : units) s += (s.empty() ? "" : ", ") + std::string(u.name);
  return s;
}

constexpr std::array<Unit, 6> kTimeUnits{{{"us", 1},
                                          {"ms", 1000},
                                          {"s", 1'000'000},
                                          {"min", 60'000'000},
                                          {"h", 3'600'000'000},
                                          {"d", 86'400'000'000}}};
constexpr std::array<Unit, 7> kSizeUnits{{{"B", 1},
                                          {"KB", 1000},
                                          {"KiB", 1024},
                                          {"MB", 1'000'000},
                                          {"MiB", 1ULL << 20},
                                          {"GB", 1'000'000'000},
                                          {"GiB", 1ULL << 30}}};
constexpr std::array<Unit, 4> kBitUnits{{{"bit", 1}, {"kbit", 1000}, {"Mbit", 1'000'000}, {"Gbit", 1'000'000'000}}};
constexpr std::array<Unit, 4> kBpsUnits{{{"bps", 1}, {"kbps", 1000}, {"Mbps", 1'000'000}, {"Gbps", 1'000'000'000}}};

template <std::size_t N>
Result<UInt128> parse_with_units(std::string_view text, const std::array<Unit, N>& units, const char* what,
                                 const char* smallest) {
  auto d = read_decimal(text);
  if (!d) return d.error();
  if (d.value().unit.empty()) {
    return make_error("missing unit in " + quoted(text) + ": a " + what + " needs one of " + unit_list(units));
  }
  const Unit* u = find_unit(units, d.value().unit);
  if (u == nullptr) {
    return make_error("unknown " + std::string(what) + " unit " + quoted(d.value().unit) + " in " + quoted(text) +
                      " (use " + unit_list(units) + ")");
  }
  return scale_exact(d.value(), u->factor, text, smallest);
}

}  // namespace

std::uint64_t Rate::milli_per_s() const {
  MT_ASSERT(period_us > 0, "rate period must be positive");
  const UInt128 v = static_cast<UInt128>(milli_count) * kUsPerSec / static_cast<UInt128>(period_us);
  return static_cast<std::uint64_t>(v);
}

double Rate::per_second() const {
  return static_cast<double>(milli_count) / 1000.0 * 1e6 / static_cast<double>(period_us);
}

Result<TimeUs> parse_duration(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    return make_error("a duration may not be signed: " + quoted(text));
  }
  auto v = parse_with_units(text, kTimeUnits, "duration", "microsecond");
  if (!v) return v.error();
  if (v.value() > static_cast<UInt128>(kMaxDurationUs)) return make_error("duration too long: " + quoted(text));
  return static_cast<TimeUs>(v.value());
}

Result<TimeUs> parse_signed_duration(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  auto v = parse_duration(text);
  if (!v) return v.error();
  return negative ? -v.value() : v.value();
}

Result<std::uint64_t> parse_size(std::string_view text) {
  auto v = parse_with_units(text, kSizeUnits, "size", "byte");
  if (!v) return v.error();
  if (v.value() > kMaxSizeBytes) return make_error("size too large: " + quoted(text));
  return static_cast<std::uint64_t>(v.value());
}

Result<std::uint64_t> parse_bandwidth(std::string_view text) {
  auto d = read_decimal(text);
  if (!d) return d.error();
  std::string_view unit = d.value().unit;
  UInt128 factor = 0;
  if (const Unit* u = find_unit(kBitUnits, unit.ends_with("/s") ? unit.substr(0, unit.size() - 2) : unit)) {
    factor = u->factor;
  } else if (const Unit* b = find_unit(kBpsUnits, unit)) {
    factor = b->factor;
  } else if (unit.ends_with("/s")) {
    if (const Unit* s = find_unit(kSizeUnits, unit.substr(0, unit.size() - 2))) factor = UInt128{s->factor} * 8;
  }
  if (factor == 0) {
    return make_error("bad bandwidth " + quoted(text) + ": use bits (" + unit_list(kBitUnits) +
                      ", optionally with /s) or bytes per second (B/s, KB/s, MiB/s ...)");
  }
  auto v = scale_exact(d.value(), factor, text, "bit per second");
  if (!v) return v.error();
  if (v.value() > kMaxBitsPerSecond) return make_error("bandwidth too large: " + quoted(text));
  return static_cast<std::uint64_t>(v.value());
}

Result<Rate> parse_rate(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return make_error("missing unit in rate " + quoted(text) + ": write e.g. '80/s' or '5/min'");
  }
  auto d = read_decimal(text.substr(0, slash));
  if (!d) return d.error();
  if (!d.value().unit.empty()) return make_error("bad rate " + quoted(text));
  const std::string_view per = text.substr(slash + 1);
  const Unit* u = find_unit(kTimeUnits, per);
  if (u == nullptr || u->factor < 1'000'000) {
    return make_error("bad rate period in " + quoted(text) + " (use /s, /min, /h or /d)");
  }
  auto milli = scale_exact(d.value(), 1000, text, "thousandth of a transaction");
  if (!milli) return milli.error();
  if (milli.value() > kMaxMilliRate) return make_error("rate too large: " + quoted(text));
  return Rate{static_cast<std::uint64_t>(milli.value()), static_cast<TimeUs>(u->factor)};
}

Result<Ppm> parse_fraction(std::string_view text) {
  auto d = read_decimal(text);
  if (!d) return d.error();
  UInt128 factor = kPpmOne;
  if (d.value().unit == "%") {
    factor = kPpmOne / 100;
  } else if (!d.value().unit.empty()) {
    return make_error("bad fraction " + quoted(text) + ": write a share like '0.25' or a percentage like '25%'");
  }
  auto v = scale_exact(d.value(), factor, text, "part per million");
  if (!v) return v.error();
  if (v.value() > kPpmOne) return make_error("fraction above 1 (100%): " + quoted(text));
  return static_cast<Ppm>(v.value());
}

Result<std::int64_t> parse_ppm_signed(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  auto d = read_decimal(text);
  if (!d) return d.error();
  if (d.value().unit != "ppm") return make_error("expected parts per million like '50ppm', got " + quoted(text));
  auto v = scale_exact(d.value(), 1, text, "ppm");
  if (!v) return v.error();
  if (v.value() > kPpmOne) return make_error("drift beyond 1000000ppm: " + quoted(text));
  const auto s = static_cast<std::int64_t>(v.value());
  return negative ? -s : s;
}

Result<std::uint32_t> parse_speed(std::string_view text) {
  constexpr std::uint64_t kMaxSpeedPermille = 1'000'000;
  const std::string how = ": a CPU speed is a number above 0 like 0.5 (half the reference machine's) or 2";
  if (!text.empty() && text.front() == '-') return make_error("negative CPU speed " + quoted(text) + how);
  auto d = read_decimal(text);
  if (!d || !d.value().unit.empty()) return make_error("bad CPU speed " + quoted(text) + how);
  auto v = scale_exact(d.value(), 1000, text, "thousandth");
  if (!v) return v.error();
  if (v.value() == 0) return make_error("CPU speed " + quoted(text) + " must be above 0" + how);
  if (v.value() > kMaxSpeedPermille) return make_error("CPU speed above 1000: " + quoted(text));
  return static_cast<std::uint32_t>(v.value());
}

Result<Ratio> parse_ratio(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return make_error("expected a ratio like '2/3', got " + quoted(text));
  auto n = parse_count(text.substr(0, slash));
  auto m = parse_count(text.substr(slash + 1));
  if (!n || !m) return make_error("expected a ratio like '2/3', got " + quoted(text));
  if (m.value() == 0 || n.value() == 0 || n.value() > m.value()) {
    return make_error("ratio must be in (0, 1]: " + quoted(text));
  }
  return Ratio{n.value(), m.value()};
}

Result<std::uint64_t> parse_count(std::string_view text) {
  auto d = read_decimal(text);
  if (!d) return d.error();
  if (!d.value().unit.empty()) {
    return make_error("expected a plain whole number, got " + quoted(text));
  }
  if (d.value().decimals != 0) return make_error("expected a whole number, got " + quoted(text));
  if (d.value().mantissa > static_cast<UInt128>(INT64_MAX)) return make_error("number too large: " + quoted(text));
  return static_cast<std::uint64_t>(d.value().mantissa);
}

Result<Amount> parse_amount(std::string_view text) {
  auto d = read_decimal(text);
  if (!d) return d.error();
  std::string_view unit = d.value().unit;
  int exponent = 0;
  if (!unit.empty()) {
    if ((unit[0] != 'e' && unit[0] != 'E') || unit.size() < 2 || unit.size() > 3) {
      return make_error("an amount is a plain whole number, got " + quoted(text));
    }
    auto e = parse_count(unit.substr(1));
    if (!e || e.value() > 30) return make_error("bad exponent in amount " + quoted(text));
    exponent = static_cast<int>(e.value());
  }
  auto v = scale_exact(d.value(), pow10(exponent), text, "token unit (amounts are whole numbers)");
  if (!v) return v.error();
  if (v.value() > (UInt128{1} << 100)) return make_error("amount too large: " + quoted(text));
  return v.value();
}

Result<double> parse_real(std::string_view text) {
  double v = 0;
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || p != end || !std::isfinite(v)) {
    return make_error("expected a number, got " + quoted(text));
  }
  return v;
}

namespace {
template <std::size_t N>
std::string format_largest(UInt128 value, const std::array<Unit, N>& units) {
  for (std::size_t i = N; i-- > 0;) {
    if (value != 0 && value % units[i].factor == 0) {
      return amount_to_string(value / units[i].factor) + std::string(units[i].name);
    }
  }
  return amount_to_string(value) + std::string(units[0].name);
}
}  // namespace

std::string format_duration(TimeUs us) {
  if (us == 0) return "0s";
  if (us < 0) return "-" + format_largest(static_cast<UInt128>(-us), kTimeUnits);
  return format_largest(static_cast<UInt128>(us), kTimeUnits);
}

std::string format_size(std::uint64_t bytes) { return format_largest(bytes, kSizeUnits); }

std::string format_bandwidth(std::uint64_t bits_per_s) { return format_largest(bits_per_s, kBitUnits); }

std::string format_rate(const Rate& r) {
  const Unit* per = nullptr;
  for (const auto& u : kTimeUnits) {
    if (static_cast<TimeUs>(u.factor) == r.period_us) per = &u;
  }
  MT_ASSERT(per != nullptr, "rate period is not a unit");
  std::string whole = amount_to_string(r.milli_count / 1000);
  const std::uint64_t frac = r.milli_count % 1000;
  if (frac != 0) {
    std::string f = fmt::format(".{:03}", frac);
    while (f.back() == '0') f.pop_back();
    whole += f;
  }
  return whole + "/" + std::string(per->name);
}

std::string format_fraction(Ppm ppm) {
  // ppm / 10^4 percent, with up to four decimals.
  std::string s = fmt::format("{}", ppm / 10'000);
  if (const Ppm frac = ppm % 10'000; frac != 0) {
    std::string f = fmt::format(".{:04}", frac);
    while (f.back() == '0') f.pop_back();
    s += f;
  }
  return s + "%";
}

std::string format_speed(std::uint32_t permille) {
  std::string s = fmt::format("{}", permille / 1000);
  if (permille % 1000 != 0) {
    std::string f = fmt::format(".{:03}", permille % 1000);
    while (f.back() == '0') f.pop_back();
    s += f;
  }
  return s;
}

std::string format_ratio(const Ratio& r) { return fmt::format("{}/{}", r.num, r.den); }

std::string format_real(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  MT_ASSERT(ec == std::errc{}, "to_chars failed");
  return std::string(buf, p);
}

}  // namespace mt::sim
