// evaluate.cc — one record through the engine: Policy::evaluate and evaluate_json.
//
// The hot path neither locks nor allocates once warm: each thread keeps, per policy it evaluates
// (a few at a time), a one-row input batch, the record state and the group pass's member list,
// and reuses them; the result's buffers are reused when the caller passes one back.
#include <array>
#include <exception>

#include <fmt/format.h>

#include "api/json_record.h"
#include "api/policy_impl.h"
#include "api/trace_record.h"

namespace credo::v1 {
namespace {

using exec::FieldError;

// One thread's buffers for one policy.
struct Scratch {
  uint64_t policy = 0;                     // PolicyImpl::id
  rt::InputBatch in;                       // one row
  rt::StateBatch state;
  rt::GroupMembers members;
  std::unique_ptr<Record::Impl> json;      // evaluate_json's record (not owning the policy)
  rt::StateBatch trace;                    // the tracer's state (EvaluateOptions::trace)
};

Scratch& ScratchFor(const PolicyImpl& p) {
  constexpr size_t kSlots = 4;  // policies a thread alternates between without rebuilding buffers
  thread_local std::array<Scratch, kSlots> slots;
  thread_local size_t next = 0;
  for (Scratch& s : slots)
    if (s.policy == p.id) return s;
  Scratch& s = slots[next++ % kSlots];
  s = Scratch{};
  s.policy = p.id;
  s.in.rows = 1;
  s.in.fields.resize(p.Info().inputs.size());
  for (auto& c : s.in.fields) c.Resize(1);
  return s;
}

// A pointer to the policy that does not own it: no reference count touched on the hot path
// (the caller's Policy keeps it alive for the call).
std::shared_ptr<const PolicyImpl> Borrowed(const PolicyImpl& p) {
  return std::shared_ptr<const PolicyImpl>(std::shared_ptr<const PolicyImpl>(), &p);
}

void Reject(Result::Impl& res, std::string reason, std::string detail, std::string field) {
  res.outcome = Outcome::rejected;
  res.reason = std::move(reason);
  res.detail = std::move(detail);
  res.field = std::move(field);
  res.values.clear();
  res.valid.clear();
}

void RequestError(Result::Impl& res, std::string message, std::string field) {
  res.outcome = Outcome::error;
  res.detail = message;
  res.reason = std::move(message);
  res.field = std::move(field);
  res.values.clear();
  res.valid.clear();
  res.fired.clear();
}

// The record state's outputs into the result (strings copied: the state is reused).
void TakeOutputs(const rt::PolicyInfo& info, const rt::StateBatch& state, Result::Impl& res) {
  size_t n = info.outputs.size();
  res.outcome = Outcome::accepted;
  res.reason.clear();
  res.detail.clear();
  res.field.clear();
  res.values.resize(n);
  res.valid.resize(n);
  res.strings.resize(n);
  for (size_t o = 0; o < n; ++o) {
    int slot = info.outputs[o].state;
    const rt::ValueType& type = info.state[size_t(slot)];
    const rt::Column& col = state.slots[size_t(slot)];
    bool present = !type.optional || col.valid[0];
    int64_t bits = col.values[0];
    res.valid[o] = present;
    if (type.kind == rt::Kind::String) {
      res.strings[o].assign(present && bits ? rt::StrOf(bits)->view() : std::string_view());
      bits = 0;
    }
    res.values[o] = bits;
  }
}

// The value the engine read of the field whose `where` gave `status`, if it is such a status.
int64_t Bits(const PolicyImpl& p, const Scratch& s, int32_t status) {
  int field = status > 0 ? p.Info().reasons[size_t(status)].field : -1;
  return field >= 0 ? s.in.fields[size_t(field)].values[0] : 0;
}
bool Present(const PolicyImpl& p, const Scratch& s, int32_t status) {
  int field = status > 0 ? p.Info().reasons[size_t(status)].field : -1;
  return field >= 0 && s.in.fields[size_t(field)].valid[0];
}

void EvaluateRecord(const PolicyImpl& p, const Record::Impl& r, Result::Impl& res, const EvaluateOptions& options) {
  const rt::PolicyInfo& info = p.Info();
  Scratch& s = ScratchFor(p);
  FieldError why;
  int failed = r.FirstFailure(why);
  size_t n = info.inputs.size();
  for (size_t f = 0; f < n; ++f) {
    s.in.fields[f].values[0] = r.values[f];
    s.in.fields[f].valid[0] = r.valid[f];
  }
  // As a CSV row that fails at a field: that field and the later ones read as missing.
  for (size_t f = failed < 0 ? n : size_t(failed); f < n; ++f) {
    s.in.fields[f].valid[0] = 0;
    s.in.fields[f].values[0] = info.inputs[f].type.kind == rt::Kind::String ? rt::StrBits(EmptyStr()) : 0;
  }
  p.evaluator->Evaluate(s.in, s.state);
  int32_t status = s.state.status[0];
  res.fired.clear();
  if (failed >= 0) {
    std::string parse_reason = exec::RejectReason(info, why, info.inputs[size_t(failed)].name);
    const std::string& reason = exec::ParseRejectReason(info, status, failed, parse_reason);
    bool parse = &reason == &parse_reason;
    Reject(res, reason, RejectDetail(p, status, parse ? failed : -1, r.Cell(size_t(failed)), Bits(p, s, status), Present(p, s, status)),
           RejectField(p, status, parse ? failed : -1));
  } else if (status > 0) {
    Reject(res, info.reasons[size_t(status)].text, RejectDetail(p, status, -1, "", Bits(p, s, status), Present(p, s, status)),
           RejectField(p, status, -1));
  } else {
    // The group pass over this record alone: a group of one (a missing key: no group).
    if (info.group_key >= 0 && s.in.fields[size_t(info.group_key)].valid[0]) {
      s.members.batches.clear();
      s.members.rows.clear();
      s.members.group.clear();
      s.members.groups = 1;
      s.members.arena = s.state.computed.get();
      const int32_t group_of_row = 0;
      s.members.AddBatch(&s.state, &group_of_row);
      p.evaluator->EvaluateGroups(s.members);
      status = s.state.status[0];
    }
    if (status > 0) Reject(res, info.reasons[size_t(status)].text, RejectDetail(p, status, -1, "", 0, false), "");
    else TakeOutputs(info, s.state, res);
  }
  if (options.trace && res.outcome == Outcome::accepted) TraceRecord(p, s.in, s.trace, res.fired);
}

// Everything that can go wrong before the engine runs, as a request error; then the record.
void Evaluate(const std::shared_ptr<const PolicyImpl>& p, const Record::Impl* r, const std::string& record_error,
              Result& out, const EvaluateOptions& options) {
  Result::Impl& res = ResultAccess::Of(out);
  if (res.policy != p) res.policy = p;  // unchanged when a result is reused: no reference count touched
  if (!r) return RequestError(res, record_error, "");
  if (r->policy.get() != p.get())
    return RequestError(res, fmt::format("the record was made for another policy ({} {}); make it with this policy's "
                                         "record()",
                                         r->policy->description.name, r->policy->description.version),
                        "");
  if (!r->error.empty()) return RequestError(res, r->error, r->error_field);
  try {
    EvaluateRecord(*p, *r, res, options);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    RequestError(res, std::string("internal error: ") + e.what(), "");
  }
}

}  // namespace

void Policy::evaluate(const Record& record, Result& out, const EvaluateOptions& options) const {
  Evaluate(impl_, RecordAccess::Of(record), record.error(), out, options);
}

Result Policy::evaluate(const Record& record, const EvaluateOptions& options) const {
  Result out;
  evaluate(record, out, options);
  return out;
}

void Policy::evaluate_json(std::string_view json, Result& out, const EvaluateOptions& options) const {
  Scratch& s = ScratchFor(*impl_);
  if (!s.json) s.json = std::make_unique<Record::Impl>(Borrowed(*impl_));
  Record::Impl& record = *s.json;
  record.policy = Borrowed(*impl_);
  record.Clear();
  ReadJsonRecord(json, record);
  Evaluate(impl_, &record, "", out, options);
}

Result Policy::evaluate_json(std::string_view json, const EvaluateOptions& options) const {
  Result out;
  evaluate_json(json, out, options);
  return out;
}

}  // namespace credo::v1
