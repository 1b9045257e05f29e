// reject_detail.cc — why a record was rejected, in words, beside the reason rejects.csv writes:
// the offending value and what the policy expected (the same words `credo explain` uses).
#include <fmt/format.h>

#include "api/policy_impl.h"
#include "compiler/explain/reject.h"

namespace credo::v1 {

std::string RejectDetail(const PolicyImpl& p, int32_t status, int parse_field, exec::FieldError why,
                         std::string_view cell_text, std::string_view value_text) {
  const rt::PolicyInfo& info = p.Info();
  if (parse_field >= 0) {
    const rt::InputField& field = info.inputs[size_t(parse_field)];
    bool empty = why == exec::FieldError::Missing;
    return fmt::format("{} is {}: expected {}", field.name, empty ? "missing" : fmt::format("'{}'", cell_text),
                       explain::Expected(info, field, empty));
  }
  if (status <= 0 || size_t(status) >= p.reason_detail.size()) return "";
  const rt::RejectReason& reason = info.reasons[size_t(status)];
  if (reason.field >= 0)
    return fmt::format("{} is {}; {}", info.inputs[size_t(reason.field)].name,
                       value_text.empty() ? "missing" : value_text, p.reason_detail[size_t(status)]);
  return p.reason_detail[size_t(status)];
}

std::string RejectField(const PolicyImpl& p, int32_t status, int parse_field) {
  const rt::PolicyInfo& info = p.Info();
  if (parse_field >= 0) return info.inputs[size_t(parse_field)].name;
  if (status > 0 && size_t(status) < info.reasons.size() && info.reasons[size_t(status)].field >= 0)
    return info.inputs[size_t(info.reasons[size_t(status)].field)].name;
  return "";
}

}  // namespace credo::v1
