// block_scan.h — where the ',' and LF bytes of a 64-byte block of CSV text are, as bit masks
// (bit k: byte k), the step the fast CSV paths walk text in.
#pragma once

#include <cstdint>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace credo::io {

struct BlockMasks {
  uint64_t delims = 0, lfs = 0;
};

[[gnu::always_inline]] inline BlockMasks ScanBlock(const char* block) {
  BlockMasks m;
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i lf = _mm_set1_epi8('\n');
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * k));
    const __m128i is_lf = _mm_cmpeq_epi8(v, lf);
    const __m128i is_delim = _mm_or_si128(_mm_cmpeq_epi8(v, comma), is_lf);
    m.delims |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(is_delim))} << (16 * k);
    m.lfs |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(is_lf))} << (16 * k);
  }
#else
  for (int k = 0; k < 64; ++k) {
    m.delims |= uint64_t{block[k] == ',' || block[k] == '\n'} << k;
    m.lfs |= uint64_t{block[k] == '\n'} << k;
  }
#endif
  return m;
}

// The LF and '"' bytes of a 64-byte block: whole records can be taken as text without splitting
// them when no quote is among them.
struct LineMasks {
  uint64_t lfs = 0, quotes = 0;
};

[[gnu::always_inline]] inline LineMasks ScanLines(const char* block) {
  LineMasks m;
#if defined(__SSE2__)
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i quote = _mm_set1_epi8('"');
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * k));
    m.lfs |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)))} << (16 * k);
    m.quotes |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)))} << (16 * k);
  }
#else
  for (int k = 0; k < 64; ++k) {
    m.lfs |= uint64_t{block[k] == '\n'} << k;
    m.quotes |= uint64_t{block[k] == '"'} << k;
  }
#endif
  return m;
}

}  // namespace credo::io
