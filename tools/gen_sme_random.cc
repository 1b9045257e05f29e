// gen_sme_random.cc — credo-gen-sme's random numbers (gen_sme.h): xoshiro256** seeded through
// splitmix64, and its approximately normal and log-normal draws in integer arithmetic only.
#include "gen_sme.h"

namespace gen_sme {

namespace {

u64 splitmix64(u64& state) {
  u64 z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// 2^(k/256) for k = 0..256 in Q62, built once by integer multiplication (deterministic).
std::array<u64, 257> make_pow2_table() {
  constexpr u64 kStep = 4624189567668517720ull;  // round(2^(1/256) * 2^62)
  std::array<u64, 257> t{};
  t[0] = u64{1} << 62;
  for (int k = 1; k <= 256; ++k) t[k] = static_cast<u64>((u128{t[k - 1]} * kStep) >> 62);
  return t;
}

i64 floor_div(i64 a, i64 b) {  // b > 0
  i64 q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

}  // namespace

const std::array<u64, 257> kPow2 = make_pow2_table();

Rng::Rng(u64 seed) {
  u64 s = seed;
  for (auto& w : s_) w = splitmix64(s);
}

// Approximately standard normal, in thousandths (Irwin-Hall: sum of 12 uniforms - 6).
i64 Rng::normal_milli() {
  i64 sum = 0;
  for (int k = 0; k < 3; ++k) {
    u64 r = next();
    for (int j = 0; j < 4; ++j, r >>= 16) sum += static_cast<i64>(r & 0xFFFF);
  }
  return (sum - 393210) * 1000 / 65536;
}

// Log-normal amount: median x e^(sigma * Z), sigma in thousandths.
i64 Rng::lognormal(i64 median, i64 sigma_milli) {
  const i64 x = normal_milli() * sigma_milli;                // millionths of a nat
  const i64 t = floor_div(x * 256 * 65536, 693147);          // 1/2^24 of an octave
  const i64 q = t >> 16;                                     // 1/256 octaves (floor)
  const u64 frac = static_cast<u64>(t & 0xFFFF);
  const i64 octave = q >> 8;
  const auto k = static_cast<std::size_t>(q & 255);
  const u64 m = kPow2[k] + static_cast<u64>((u128{kPow2[k + 1] - kPow2[k]} * frac) >> 16);
  u128 v = (u128{static_cast<u64>(median)} * m) >> 62;
  if (octave >= 0) {
    v <<= octave;
  } else {
    v >>= -octave;
  }
  constexpr u128 kCap = 900'000'000'000'000;  // stay well inside the [C3] bound
  return static_cast<i64>(v > kCap ? kCap : v);
}

}  // namespace gen_sme
