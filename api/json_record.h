// json_record.h — a JSON object read into a record (Policy::evaluate_json, record_from_json).
#pragma once

#include <string_view>

#include "api/policy_impl.h"

namespace credo::v1 {

// Sets `record`'s fields from a JSON object; false (with record.error naming the field) for
// malformed JSON, a field the policy does not have, a repeated field or a value of the wrong
// JSON type. Fields the object does not name are left as they are.
bool ReadJsonRecord(std::string_view json, Record::Impl& record);

}  // namespace credo::v1
