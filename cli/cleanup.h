// cleanup.h — temporary files removed when the process is killed.
//
// An output being written lives under a temporary name until the run succeeds (output_file.h).
// If SIGTERM, SIGINT or SIGHUP ends the process first, the handler removes every registered
// temporary file (with unlink, which is async-signal-safe) and re-raises the signal with its
// default action, so the exit status still says which signal it was.
#pragma once

#include <string>

namespace credo::cli {

// Installs the handler; a signal ignored when credo started (nohup) stays ignored. Also ignores
// SIGPIPE, so writing to a closed pipe is a write error (EPIPE) that the run reports and cleans
// up after, instead of a silent death that leaves temporary files behind.
void InstallCleanupHandlers();

// For a run that maps its input file (RunOptions::map_input): SIGBUS, which reading a mapped
// page the file no longer has raises, removes the temporary files and exits with a
// message saying the input was cut short, with exit code 3 (kFailure).
void GuardMappedInput();

// Registers `path` for removal on a signal; returns a slot for Unregister, or -1 when all slots
// are taken (the file is then only removed on the normal paths).
int RegisterTemporary(const std::string& path);
void UnregisterTemporary(int slot);

}  // namespace credo::cli
