#include "runtime/exec/progress.h"

#include <fmt/format.h>

#include <algorithm>

namespace credo::exec {
namespace {

constexpr auto kRedraw = std::chrono::milliseconds(250);

// 1234567 → "1,234,567"
std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Clock(double seconds) {
  auto s = uint64_t(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

Progress::Progress(const ProgressOptions& options)
    : options_(options), start_(std::chrono::steady_clock::now()), next_draw_(start_ + kRedraw) {}

void Progress::Update(uint64_t rows) {
  if (options_.lines && rows >= next_line_) {
    std::fprintf(stderr, "credo: %llu rows\n", static_cast<unsigned long long>(rows));
    while (next_line_ <= rows) next_line_ += 1'000'000;
  }
  if (!options_.bar) return;
  auto now = std::chrono::steady_clock::now();
  if (now < next_draw_) return;
  next_draw_ = now + kRedraw;
  Draw(rows, std::chrono::duration<double>(now - start_).count());
}

void Progress::Draw(uint64_t rows, double seconds) {
  double rate = seconds > 0 ? rows / seconds : 0;
  std::string line = fmt::format("{} rows  {} rows/s", Grouped(rows), Grouped(uint64_t(rate)));
  long at = options_.position && options_.size ? std::ftell(options_.position) : -1;
  if (at >= 0) {
    double done = std::min(1.0, double(at) / double(options_.size));
    constexpr int kWidth = 24;
    int filled = int(done * kWidth);
    line = fmt::format("[{}{}] {:3.0f}%  {}", std::string(size_t(filled), '#'), std::string(size_t(kWidth - filled), '.'),
                       done * 100, line);
    if (done > 0.01) line += "  ETA " + Clock(seconds * (1 - done) / done);
  }
  // \r and clear-to-end: a shorter line leaves nothing of the longer one before it.
  std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (!drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace credo::exec
