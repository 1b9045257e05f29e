// json_text.h — JSON text for results: strings escaped, decimals written exactly as numbers.
#pragma once

#include <string>
#include <string_view>

#include <credo/credo.hpp>

namespace credo::v1 {

void AppendJsonString(std::string& out, std::string_view s);
// Missing as null, decimals as numbers with their scale ("12.50"), dates and enums as strings,
// code lists as arrays of strings.
void AppendJsonValue(std::string& out, const Value& v);

}  // namespace credo::v1
