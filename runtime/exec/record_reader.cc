// record_reader.cc — see record_reader.h.
#include "runtime/exec/record_reader.h"

#include <algorithm>

namespace credo::exec {

RecordReader::RecordReader(std::FILE* in, const rt::PolicyInfo& info, Format format, const ColumnOptions& options,
                           std::vector<std::string> extra)
    : info_(info), options_(options), extra_(std::move(extra)) {
  if (format == Format::Csv) {
    csv_ = std::make_unique<io::CsvReader>(in);
    return;
  }
  // The cells: the policy's inputs, the kept columns, then each extra name not among them (a
  // key asked for twice would fill only one of its cells).
  columns_ = ColumnMap::Identity(info);
  for (const auto& f : info.inputs) keys_.push_back(f.name);
  for (const auto& name : options.keep) {
    columns_.kept.push_back(uint32_t(keys_.size()));
    columns_.kept_names.push_back(name);
    keys_.push_back(name);
  }
  for (const auto& name : extra_) {
    auto at = std::find(keys_.begin(), keys_.end(), name);
    extra_cells_.push_back(int(at - keys_.begin()));
    if (at == keys_.end()) keys_.push_back(name);
  }
  columns_.width = keys_.size();  // every row has a cell per key
  json_ = std::make_unique<io::JsonlReader>(in, keys_);
}

bool RecordReader::Start(std::string& error) {
  if (json_) return CheckKeep(info_, options_.keep, error);
  std::vector<std::string> header;
  if (!csv_->ReadHeader(header)) {
    error = "the input is empty: it needs a header line";
    return false;
  }
  if (!MapColumns(info_, header, options_, columns_, error)) return false;
  for (const auto& name : extra_) {
    auto at = std::find(header.begin(), header.end(), name);
    extra_cells_.push_back(at == header.end() ? -1 : int(at - header.begin()));
  }
  return true;
}

size_t RecordReader::ReadBatch(size_t max_rows, io::TextBatch& out) {
  return json_ ? json_->ReadBatch(max_rows, out) : csv_->ReadBatch(max_rows, out);
}

}  // namespace credo::exec
