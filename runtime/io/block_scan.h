// block_scan.h — where two kinds of byte are in a 64-byte block of CSV text, as bit masks
// (bit k: byte k), the step the fast CSV paths walk text in.
#pragma once

#include <cstddef>
#include <cstdint>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace credo::io {

struct ByteMasks {
  uint64_t a = 0, b = 0;  // the bytes equal to A, and to B
};

template <char A, char B>
[[gnu::always_inline]] inline ByteMasks FindBytes(const char* block) {
  ByteMasks m;
#if defined(__SSE2__)
  const __m128i a = _mm_set1_epi8(A), b = _mm_set1_epi8(B);
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * k));
    m.a |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, a)))} << (16 * k);
    m.b |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, b)))} << (16 * k);
  }
#else
  for (int k = 0; k < 64; ++k) {
    m.a |= uint64_t{block[k] == A} << k;
    m.b |= uint64_t{block[k] == B} << k;
  }
#endif
  return m;
}

// The cell ends (',' and LF) and the LFs: how records are split into fields.
struct BlockMasks {
  uint64_t delims = 0, lfs = 0;
};
[[gnu::always_inline]] inline BlockMasks ScanBlock(const char* block) {
  const ByteMasks m = FindBytes<',', '\n'>(block);
  return {m.a | m.b, m.b};
}

// The LFs and the quotes: whole records can be taken as text without splitting them when no
// quote is among them.
struct LineMasks {
  uint64_t lfs = 0, quotes = 0;
};
[[gnu::always_inline]] inline LineMasks ScanLines(const char* block) {
  const ByteMasks m = FindBytes<'\n', '"'>(block);
  return {m.a, m.b};
}

// How many LFs the `kLineStretch` bytes at p hold, and whether a '"' is among them: the step
// ReadRecordText counts whole stretches of records with, without bit masks (per 16 bytes: a
// load, two compares, a subtract and an or).
inline constexpr size_t kLineStretch = 256;
struct StretchCount {
  size_t lfs = 0;
  bool quote = false;
};
[[gnu::always_inline]] inline StretchCount CountLines(const char* p) {
#if defined(__SSE2__)
  const __m128i lf = _mm_set1_epi8('\n'), dq = _mm_set1_epi8('"');
  __m128i counts = _mm_setzero_si128(), quotes = _mm_setzero_si128();
  for (size_t k = 0; k < kLineStretch; k += 16) {  // each byte lane counts to 16 at most
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
    counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(v, lf));
    quotes = _mm_or_si128(quotes, _mm_cmpeq_epi8(v, dq));
  }
  const __m128i sums = _mm_sad_epu8(counts, _mm_setzero_si128());  // the lanes of each half, added
  return {size_t(_mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_unpackhi_epi64(sums, sums))),
          _mm_movemask_epi8(quotes) != 0};
#else
  StretchCount c;
  for (size_t k = 0; k < kLineStretch; ++k) c.lfs += p[k] == '\n', c.quote |= p[k] == '"';
  return c;
#endif
}

}  // namespace credo::io
