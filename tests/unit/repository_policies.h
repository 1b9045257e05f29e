// repository_policies.h — the policies of the repository with their data, for unit tests that
// must hold for every policy: policies/ (input from tests/policies/NAME/, the SME policy's from
// examples/) and tests/golden/run/.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace credo::testdata {

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct PolicyCase {
  std::filesystem::path policy, input;  // input is empty when the policy has no data beside it
  std::map<std::string, std::string> references;  // reference name → file (references.txt beside the input)
};

// tests/policies/NAME/references.txt: `NAME=FILE` lines (files in that folder), `#` comments.
inline std::map<std::string, std::string> ReferencesBeside(const std::filesystem::path& input) {
  std::map<std::string, std::string> refs;
  std::ifstream in(input.parent_path() / "references.txt");
  for (std::string line; std::getline(in, line);) {
    size_t eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    refs[line.substr(0, eq)] = (input.parent_path() / line.substr(eq + 1)).string();
  }
  return refs;
}

// Every policy, sorted by path.
inline std::vector<PolicyCase> RepositoryPolicies() {
  namespace fs = std::filesystem;
  fs::path root = CREDO_SOURCE_DIR;
  std::vector<PolicyCase> cases;
  for (const auto& e : fs::directory_iterator(root / "policies"))
    if (e.path().extension() == ".credo") {
      fs::path input = root / "tests/policies" / e.path().stem() / "input.csv";
      if (e.path().stem() == "sme-credit-v1") input = root / "examples/sme-portfolio.csv";
      cases.push_back({e.path(), fs::exists(input) ? input : fs::path(), ReferencesBeside(input)});
    }
  for (const auto& e : fs::directory_iterator(root / "tests/golden/run"))
    if (fs::exists(e.path() / "policy.credo"))
      cases.push_back({e.path() / "policy.credo", fs::exists(e.path() / "input.csv") ? e.path() / "input.csv" : fs::path(), {}});
  std::sort(cases.begin(), cases.end(), [](const PolicyCase& a, const PolicyCase& b) { return a.policy < b.policy; });
  return cases;
}

}  // namespace credo::testdata
