// commands.h — one function per credo command; each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace credo::cli {

inline constexpr const char* kVersion = "0.1.0";

int Check(const std::vector<std::string>& args);
int Run(const std::vector<std::string>& args);
int Fmt(const std::vector<std::string>& args);
int Test(const std::vector<std::string>& args);
int Explain(const std::vector<std::string>& args);
int Doc(const std::vector<std::string>& args);
int Lsp(const std::vector<std::string>& args);
int Serve(const std::vector<std::string>& args);   // built only with cpp-httplib (CREDO_HAVE_SERVE)
int Replay(const std::vector<std::string>& args);
int Compare(const std::vector<std::string>& args);
int Report(const std::vector<std::string>& args);

// Exit codes shared by every command.
enum Exit { kOk = 0, kPolicyError = 1, kUsage = 2, kFailure = 3 };

}  // namespace credo::cli
