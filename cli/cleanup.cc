#include "cli/cleanup.h"
#include "cli/commands.h"

#include <unistd.h>

#include <atomic>
#include <climits>
#include <csignal>
#include <cstring>

namespace credo::cli {
namespace {

constexpr int kSlots = 16;
constexpr int kSignals[] = {SIGTERM, SIGINT, SIGHUP};

// Written only outside the handler; a slot's path is complete before `used` is set.
char paths[kSlots][PATH_MAX];
std::atomic<bool> used[kSlots];
static_assert(std::atomic<bool>::is_always_lock_free, "the handler reads `used`");

void RemoveAndReraise(int signal) {
  for (int i = 0; i < kSlots; ++i)
    if (used[i].load()) unlink(paths[i]);
  // SA_RESETHAND restored the default action; SA_NODEFER lets it act right away.
  raise(signal);
}

// SIGBUS while an input file is mapped: the file was cut short while it was read. The run
// cannot go on; its temporary outputs go, and it ends with a message and exit code 3, as for an
// input that cannot be read.
void InputCutShort(int) {
  for (int i = 0; i < kSlots; ++i)
    if (used[i].load()) unlink(paths[i]);
  constexpr char kMessage[] = "credo: the input file was cut short while it was read; nothing was written\n";
  ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  (void)ignored;
  _exit(kFailure);
}

}  // namespace

void GuardMappedInput() {
  struct sigaction action {};
  action.sa_handler = InputCutShort;
  sigemptyset(&action.sa_mask);
  sigaction(SIGBUS, &action, nullptr);
}

void InstallCleanupHandlers() {
  for (int signal : kSignals) {
    struct sigaction old {};
    if (sigaction(signal, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = RemoveAndReraise;
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, nullptr);
  }
  std::signal(SIGPIPE, SIG_IGN);
}

int RegisterTemporary(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i) {
    if (used[i].load()) continue;
    std::memcpy(paths[i], path.c_str(), path.size() + 1);
    used[i].store(true);
    return i;
  }
  return -1;
}

void UnregisterTemporary(int slot) {
  if (slot >= 0) used[slot].store(false);
}

}  // namespace credo::cli
