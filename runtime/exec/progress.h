// progress.h — a run's progress on stderr: a bar redrawn in place on a terminal, or a line per
// million rows for logs.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace credo::exec {

struct ProgressOptions {
  bool bar = false;    // redraw "rows, rows/s, percent, ETA" in place, about 4 times a second
  bool lines = false;  // a line per million rows (stderr is a log, not a terminal)
  // For the percent and the ETA: `position` is the input being read (its offset, by ftell, in
  // bytes of the file itself, so compressed input counts compressed bytes) and `size` its size
  // in bytes; 0 or null (a pipe): rows and rows/s only.
  std::FILE* position = nullptr;
  uint64_t size = 0;
};

class Progress {
 public:
  explicit Progress(const ProgressOptions& options);
  // Called as rows are done; cheap when there is nothing to draw.
  void Update(uint64_t rows);
  // Clears the bar (the terminal's line is left empty for what follows).
  void Finish();

 private:
  void Draw(uint64_t rows, double seconds);

  ProgressOptions options_;
  std::chrono::steady_clock::time_point start_, next_draw_;
  uint64_t next_line_ = 1'000'000;
  bool drawn_ = false;
};

}  // namespace credo::exec
