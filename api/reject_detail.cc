// reject_detail.cc — why a record was rejected, in words, beside the reason rejects.csv writes:
// the words of `credo run`'s detail column (runtime/exec/reject_detail.h), so that a reject reads
// the same from the rejects file, the API, the C ABI, the Python module and `credo serve`.
#include <fmt/format.h>

#include "api/policy_impl.h"
#include "runtime/exec/reject_detail.h"

namespace credo::v1 {

std::string RejectDetail(const PolicyImpl& p, int32_t status, int parse_field, std::string_view cell_text, int64_t bits,
                         bool present) {
  const rt::PolicyInfo& info = p.Info();
  if (parse_field >= 0) return exec::CellDetail(info, size_t(parse_field), cell_text);
  if (status <= 0 || size_t(status) >= info.reasons.size()) return "";
  return exec::RuleDetail(info, status, bits, present);
}

std::string RejectField(const PolicyImpl& p, int32_t status, int parse_field) {
  const rt::PolicyInfo& info = p.Info();
  if (parse_field >= 0) return info.inputs[size_t(parse_field)].name;
  if (status > 0 && size_t(status) < info.reasons.size() && info.reasons[size_t(status)].field >= 0)
    return info.inputs[size_t(info.reasons[size_t(status)].field)].name;
  return "";
}

}  // namespace credo::v1
