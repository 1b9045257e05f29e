// collect_logic.cc — the parts of a policy document that say what happens to a record: rule
// sets, the decision, warnings and the group pass.
#include <fmt/format.h>

#include "compiler/doc/collect.h"

namespace credo::doc {

namespace {
Inline MissingMeansFalse() {
  return {{Run::Strong, "missing means false"},
          {Run::Text, ": a condition that cannot be decided because a value in it is missing counts as not met."}};
}
}

void Collector::RuleSet(const ast::RuleSet& rules) {
  Open(rules.title.empty() ? "Rules" : rules.title, rules.name.text);
  DocNote(rules.name.span.begin);
  Paragraph(Plain("Every rule is evaluated for every record. Its effect records the rule's intent; the decision "
                  "says what follows from it."));
  if (rules.missing_false.on) Paragraph(MissingMeansFalse());
  Table table{"rules", {"Code", "Description", "When", "Effect", "Notes"}, {}};
  for (const ast::Rule& rule : rules.rules)
    table.rows.push_back({{doc::Code(rule.code.text), Plain(rule.title), Code(*rule.when), Plain(rule.effect.text),
                           Plain(ItemNote(rules.name.span.begin, rule.code.span.begin, rule.when->span.end))}});
  Grid(std::move(table));
}

void Collector::Decision(const ast::Decision& decision) {
  Open("Decision", decision.name.text);
  DocNote(decision.span.begin);
  Paragraph({{Run::Text, "The outcome, of type "},
             {Run::Code, check::TypeName(policy_.symbols[policy_.decision_symbol].type, policy_.enums)},
             {Run::Text, ": the arms are tried in this order and the first whose condition holds decides, with its "
                         "reason ("},
             {Run::Code, decision.name.text + ".reason"},
             {Run::Text, ", empty when the arm gives none)."}});
  if (decision.missing_false.on) Paragraph(MissingMeansFalse());
  Table table{"decision", {"#", "When", "Outcome", "Reason", "Notes"}, {}};
  for (size_t i = 0; i < decision.arms.size(); ++i) {
    const ast::DecisionArm& arm = decision.arms[i];
    table.rows.push_back({{Plain(std::to_string(i + 1)), arm.condition ? Code(*arm.condition) : Strong("otherwise"),
                           doc::Code(arm.outcome.text), arm.reason ? Code(*arm.reason) : Plain(""),
                           Plain(ItemNote(decision.span.begin, arm.span.begin, arm.span.end))}});
  }
  Grid(std::move(table));
}

void Collector::Warnings(const ast::WarningsBlock& warnings) {
  Open("Warnings", "");
  DocNote(warnings.span.begin);
  Paragraph({{Run::Text, "Each warning whose condition holds adds its code to the record's "},
             {Run::Code, "warnings"},
             {Run::Text, ", in this order. Warnings do not change the decision."}});
  if (warnings.missing_false.on) Paragraph(MissingMeansFalse());
  Table table{"warnings", {"Code", "Description", "When", "Notes"}, {}};
  for (const ast::Warning& w : warnings.warnings)
    table.rows.push_back({{doc::Code(w.code.text), Plain(w.title), Code(*w.when),
                           Plain(ItemNote(warnings.span.begin, w.code.span.begin, w.when->span.end))}});
  Grid(std::move(table));
}

void Collector::Group(const ast::GroupBlock& group) {
  Open("Group pass", "by " + group.key.text);
  DocNote(group.span.begin);
  Paragraph({{Run::Text, "After every record is decided, the accepted records with the same "},
             {Run::Code, group.key.text},
             {Run::Text, " form a group (a record without one is in none). The statements run in this order; each "
                         "is worked out for every member from the values as they stand before it, then applied to "
                         "all members at once."}});
  Table table{"group", {"#", "Statement", "Then", "Notes"}, {}};
  for (size_t i = 0; i < group.stmts.size(); ++i) {
    const ast::GroupStmt& stmt = group.stmts[i];
    Row row;
    row.cells.push_back(Plain(std::to_string(i + 1)));
    if (stmt.kind == ast::GroupStmt::Let) {
      row.cells.push_back(doc::Code("let " + stmt.name.text + " = " + Source(stmt.expr->span)));
      row.cells.push_back(Plain("a group value, the same for every member"));
    } else {
      Inline when = Plain("when ");
      when.push_back({Run::Code, Source(stmt.expr->span)});
      row.cells.push_back(std::move(when));
      Inline actions;
      for (const ast::GroupAction& action : stmt.actions) {
        if (!actions.empty()) actions.push_back({Run::Text, "; "});
        actions.push_back({Run::Code, Source(action.span)});
      }
      row.cells.push_back(std::move(actions));
    }
    row.cells.push_back(Plain(ItemNote(group.span.begin, stmt.span.begin, stmt.span.end)));
    table.rows.push_back(std::move(row));
  }
  Grid(std::move(table));
}

}  // namespace credo::doc
