// jit_kernels.cc — PlanKernels: the record and group programs cut into kernel functions, and
// which registers are stored between them.
#include "compiler/jit/jit_kernels.h"

#include "compiler/interp/group_pass.h"

namespace credo::jit {
namespace {

// A run of Math instructions (each an opaque call, which the loop vectoriser cannot widen) gets
// a segment of its own, so that the code around it still vectorises; at most kCallSegments such
// runs per plan, as every segment is a kernel loop to compile.
constexpr size_t kCallSegments = 8;

// Cuts [begin, end) into segments of at most kSegment instructions.
void Cut(KernelPlan& plan, size_t begin, size_t end, size_t& call_segments) {
  const auto& code = *plan.code;
  auto is_call = [&](size_t r) { return code[r].op == Op::Math; };
  size_t b = begin;
  bool in_call = false;
  for (size_t r = begin; r < end; ++r) {
    bool call = is_call(r) && (in_call || call_segments < kCallSegments);
    if (r > b && (r - b == kSegment || call != in_call)) {
      plan.segments.push_back({b, r});
      b = r;
    }
    if (call && !in_call) ++call_segments;
    in_call = call;
  }
  if (b < end) plan.segments.push_back({b, end});
}

}  // namespace

KernelPlan PlanKernels(const ir::Program& p, bool group) {
  KernelPlan plan;
  plan.group = group;
  plan.code = group ? &p.group_code : &p.code;
  const auto& code = *plan.code;
  size_t call_segments = 0;
  if (group) {
    for (const auto& step : p.group_steps) {
      plan.step_segments.push_back(plan.segments.size());
      Cut(plan, size_t(step.begin), size_t(step.end), call_segments);
    }
    plan.step_segments.push_back(plan.segments.size());
  } else {
    Cut(plan, 0, code.size(), call_segments);
  }
  std::vector<size_t> segment_of(code.size(), 0);
  for (size_t s = 0; s < plan.segments.size(); ++s)
    for (size_t r = plan.segments[s].first; r < plan.segments[s].second; ++r) segment_of[r] = s;
  plan.spilled = group ? KeptGroupRegisters(p) : std::vector<bool>(code.size(), false);
  plan.fails = ir::MayFail(p, code);
  for (size_t i = 0; i < code.size(); ++i)
    for (int32_t a : code[i].args)
      if (segment_of[a] != segment_of[i] && !plan.Rematerialized(a)) plan.spilled[a] = true;
  plan.slots_of.assign(code.size(), {});
  if (!group)
    for (size_t s = 0; s < p.state_regs.size(); ++s) plan.slots_of[p.state_regs[s]].push_back(int64_t(s));
  size_t size = kSegment;  // instructions in the function being filled
  for (size_t s = 0; s < plan.segments.size(); ++s) {
    size_t length = plan.segments[s].second - plan.segments[s].first;
    if (!group || size + length > kSegment) {
      plan.functions.emplace_back();
      size = 0;
    }
    plan.functions.back().push_back(s);
    plan.function_of.push_back(plan.functions.size() - 1);
    size += length;
  }
  return plan;
}

}  // namespace credo::jit
