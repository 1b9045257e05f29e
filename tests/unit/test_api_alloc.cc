// The JIT's single-record path allocates nothing once warm (a typed record reused, a result
// reused): every call's buffers are the thread's own, kept from the call before. Counted by
// replacing the global operator new in this test binary (a count per thread, nothing else).
#include <catch2/catch.hpp>

#include <credo/credo.hpp>

#include <cstdlib>
#include <new>

namespace {
thread_local long allocations = 0;
}

void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

TEST_CASE("api: a warm single-record evaluation on the JIT allocates nothing", "[api]") {
  auto compiled = credo::Policy::compile_file(std::string(CREDO_SOURCE_DIR) + "/policies/sme-credit-v1.credo");
  REQUIRE(compiled.ok());
  const credo::Policy& p = *compiled.policy;
  credo::Record r = p.record();
  credo::Result result;
  auto evaluate = [&](int i) {
    r.clear();
    r.set(0, "C-1").set(1, i % 2 ? "G1" : "").set(2, "retail").set(4, credo::Decimal{420000000 + i, 2})
        .set(5, credo::Decimal{1, 0}).set(8, credo::Decimal{600000000, 2}).set(9, credo::Decimal{1, 0})
        .set(12, int64_t(600 + i % 200)).set(13, 0).set(14, 0).set(15, credo::Decimal{0, 2})
        .set(16, credo::Decimal{1000000, 2});
    p.evaluate(r, result);
  };
  for (int i = 0; i < 100; ++i) evaluate(i);
  REQUIRE(result.accepted());
  long before = allocations;
  for (int i = 0; i < 1000; ++i) evaluate(i);
  CHECK(allocations - before == 0);
  CHECK(result.accepted());
}
