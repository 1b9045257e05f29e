// references.h — loading a policy's reference data when it is compiled (CompileOptions::references).
#pragma once

#include "api/policy_impl.h"
#include "compiler/driver/reference_data.h"

namespace credo::v1 {

// Checks that options.references gives the data of every reference the compiled policy `c`
// declares and nothing else, loads it (the rows set aside into result.reference_rejects), and
// sets p.references, p.probed_references (compiling the probed program: p.path and p.text must be
// set) and p.description.references. False with result.error and result.reference_error set
// when the data is refused.
bool LoadPolicyReferences(PolicyImpl& p, const Compilation& c, const CompileOptions& options, CompileResult& result);

}  // namespace credo::v1
