// tracer.cc — EvaluateOptions::trace: the probes' hit registers kept as record-state slots of
// the probed program, evaluated by the interpreter beside the policy's own engine.
#include <fmt/format.h>

#include "api/trace_record.h"
#include "compiler/base/source.h"
#include "compiler/interp/interpreter.h"

namespace credo::v1 {

std::shared_ptr<const Tracer> MakeTracer(const Compilation& probed, std::shared_ptr<const rt::References> references) {
  auto tracer = std::make_shared<Tracer>();
  ir::Program program = *probed.program;
  const ast::Policy& ast = probed.checked->ast();
  struct Titled {
    std::string title, section, condition;  // the condition as written, on one line
  };
  auto text = [&](const ast::ExprPtr& e) { return e ? OnOneLine(probed.source->Slice(e->span)) : std::string(); };
  std::unordered_map<std::string, Titled> rules, warnings;
  for (const auto& set : ast.rule_sets)
    for (const auto& rule : set.rules) rules[rule.code.text] = {rule.title, set.name.text, text(rule.when)};
  for (const auto& block : ast.warnings)
    for (const auto& w : block.warnings) warnings[w.code.text] = {w.title, "", text(w.when)};
  for (const auto& card : ast.scorecards)
    for (const auto& c : card.characteristics) tracer->reason_titles[c.code.text] = c.title;

  auto keep = [&](int32_t reg) {  // a record register as one more state slot
    program.info.state.push_back(program.code[size_t(reg)].type);
    program.info.state_names.push_back(fmt::format("trace:{}", reg));
    program.state_regs.push_back(reg);
    return program.info.state.size() - 1;
  };
  using K = ir::ProbeKind;
  for (const ir::Probe& probe : program.probes) {
    if (probe.group) continue;  // group-pass actions: their warnings are in the outputs
    LineCol lc = probed.source->Locate(probe.offset);
    std::string at = fmt::format("{}:{}", lc.line, lc.column);
    std::string parent = probe.parent >= 0 ? program.probes[size_t(probe.parent)].name : "";
    if (probe.kind == K::Reasons && probe.value >= 0) {
      std::string card = probe.name.substr(0, probe.name.rfind(".reasons"));
      tracer->items.push_back({0, true, {"reason", "", "", card, "", at}});
      tracer->items.back().slot = keep(probe.value);
      continue;
    }
    if (probe.hit < 0) continue;
    Fired f;
    if (probe.kind == K::Rule) {
      const Titled& r = rules[probe.name];
      f = {"rule", probe.name, r.title, r.section, r.condition, at};
    } else if (probe.kind == K::Warning) {
      const Titled& w = warnings[probe.name];
      f = {"warning", probe.name, w.title, "", w.condition, at};
    } else if (probe.kind == K::DecisionArm || probe.kind == K::DecisionRow) {
      f = {probe.kind == K::DecisionArm ? "decision" : "decision_row", probe.name, "", parent, probe.text, at};
    } else {
      continue;
    }
    tracer->items.push_back({0, false, std::move(f)});
    tracer->items.back().slot = keep(probe.hit);
  }
  program.hash = 0;  // no longer the policy's program: never to be taken for it by a cache
  tracer->evaluator = MakeInterpreter(std::move(program));
  tracer->evaluator->SetReferences(std::move(references));
  return tracer;
}

void TraceRecord(const PolicyImpl& p, const rt::InputBatch& input, rt::StateBatch& state, std::vector<Fired>& fired) {
  std::string error;
  const Tracer* tracer = p.GetTracer(error);
  if (!tracer) return;
  tracer->evaluator->Evaluate(input, state);
  if (state.status[0] != 0) return;
  const rt::PolicyInfo& info = tracer->evaluator->info();
  for (const Tracer::Item& item : tracer->items) {
    const rt::ValueType& type = info.state[item.slot];
    const rt::Column& col = state.slots[item.slot];
    bool present = !type.optional || col.valid[0];
    if (!present) continue;
    if (!item.reasons) {
      if (col.values[0]) fired.push_back(item.fired);
      continue;
    }
    Value codes = ToValue(info, type, col.values[0], true);
    if (const Codes* list = std::get_if<Codes>(&codes.as_variant()))
      for (const auto& code : list->codes) {
        Fired f = item.fired;
        f.code = code;
        auto title = tracer->reason_titles.find(code);
        if (title != tracer->reason_titles.end()) f.title = title->second;
        fired.push_back(std::move(f));
      }
  }
}

}  // namespace credo::v1
