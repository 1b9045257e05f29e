// Credo.g4 — the grammar of the credo credit-policy language.
//
// The reference manual is docs/language.md; this file only fixes the syntax. Typing, the
// missing-value rules and everything else semantic belong to the checker (compiler/check).
// Generated into the build tree at build time (ANTLR 4.7.2 tool, 4.9 C++ runtime); never edit
// the generated code.
grammar Credo;

policy      : (header | libraryHeader) decl* EOF ;
header      : 'policy' name ('version' version=STRING)? (description=STRING)? ;
// A library (docs/language.md, "Libraries and import"): a file other files import.
libraryHeader : 'library' name ('version' version=STRING)? (description=STRING)? ;

decl        : enumDecl | inputDecl | letDecl | rulesDecl | scorecardDecl | bandDecl
            | dtableDecl | tableDecl | decisionDecl | warningsDecl | groupDecl | outputDecl | rejectsDecl
            | importDecl | constDecl | functionDecl | referenceDecl ;

importDecl  : 'import' path=STRING ;
constDecl   : 'const' name (':' typeRef)? '=' expr ;
functionDecl: 'function' name '(' (param (',' param)*)? ')' ':' result=typeRef '=' expr ;
param       : name ':' typeRef ;

enumDecl    : 'enum' name '{' name (',' name)* ','? '}' ;

inputDecl   : 'input' name '{' inputItem* '}' ;
inputItem   : name ':' typeRef ('where' expr ('else' reason=STRING)?)?   # fieldDecl
            | 'unique' name                                            # uniqueDecl
            | 'check' expr 'else' reason=STRING                        # checkDecl
            ;
typeRef     : name ('(' size=INT ')')? optional='?'? ;

// Reference data (docs/language.md, "Reference data"): a keyed file given with `credo run --ref`.
// `many`: several rows per key (a ledger); without it, one row per key.
referenceDecl : 'reference' name title=STRING? 'keyed' 'by' key=name many='many'? '{' referenceField* '}' ;
referenceField: name ':' typeRef ('where' expr ('else' reason=STRING)?)? ;

letDecl     : 'let' name (':' typeRef)? '=' expr ;

rulesDecl   : 'rules' name title=STRING? '{' missingFalse? ruleDecl* '}' ;
// `missing means false` first in a rules, warnings or decision block ("means" is not a keyword).
missingFalse: 'missing' means=IDENT 'false' ;
ruleDecl    : code=name title=STRING? 'when' expr '=>' effect=name ;

scorecardDecl : 'scorecard' name title=STRING? '{' scorecardItem* '}' ;
scorecardItem : 'baseline' signedNumber                                 # baselineItem
              | 'reasons' INT                                           # reasonsItem
              | 'scaling' base=signedNumber 'at' 'odds' odds=signedNumber 'pdo' pdo=signedNumber  # scalingItem
              | 'intercept' signedNumber                                # interceptItem
              | 'rounding' word=name                                    # roundingItem
              | code=name title=STRING? expr ('weight' weight=signedNumber)? '{' bins '}'  # characteristicItem
              ;

bandDecl    : 'band' name (':' typeRef)? '=' expr '{' bins '}' ;

bins        : bin (','? bin)* ','? ;
bin         : binTest (',' binTest)* '=>' expr ;
binTest     : 'missing'                                                  # missingBin
            | 'else'                                                     # elseBin
            | open=('[' | '(') lo=binValue ',' hi=binValue close=(']' | ')')  # intervalBin
            | op=('<' | '<=' | '>' | '>=' | '==' | '!=') binValue          # compareBin
            | binValue                                                   # valueBin
            ;
binValue    : signedNumber | STRING | name | 'true' | 'false' ;
signedNumber: '-'? (INT | DECIMAL) ;

tableDecl   : 'table' name ':' tableKeys '->' value=typeRef '{' tableEntry (','? tableEntry)* ','? '}' ;
tableKeys   : typeRef | '(' typeRef (',' typeRef)+ ')' ;
tableEntry  : (tableKey (',' tableKey)* | 'else') '=>' expr ;
tableKey    : cell | '(' cell (',' cell)+ ')' ;

// Decision tables (docs/language.md, "Decision tables"): `table NAME hit POLICY ["TITLE"] { ... }`.
dtableDecl  : 'table' name 'hit' hitPolicy title=STRING? '{'
                'inputs' dtInput ('|' dtInput)*
                'outputs' (dtOutput ('|' dtOutput)*)?
                dtRow* dtElse? '}' ;
hitPolicy   : kind=name ('by' by=name | agg=name ('(' over=name ')')?)? ;
dtInput     : label=name ('=' expr)? ;
dtOutput    : name ':' typeRef ;
dtRow       : code=name title=STRING? ('|' cell)+ ('=>' expr ('|' expr)*)? ;
dtElse      : 'else' title=STRING? ('=>' expr ('|' expr)*)? ;
// A cell: a test of one input (or one key of a lookup table). `-` and `_` match anything.
cell        : '-'                                                        # anyCell
            | 'missing'                                                  # missingCell
            | 'present'                                                  # presentCell
            | open=('[' | '(') lo=cellValue ',' hi=cellValue close=(']' | ')')  # intervalCell
            | op=('<' | '<=' | '>' | '>=' | '==' | '!=') cellValue       # compareCell
            | negated='not'? '{' cellValue (',' cellValue)* ','? '}'     # setCell
            | cellValue                                                  # valueCell
            ;
cellValue   : binValue | date='date' '(' STRING ')' ;

decisionDecl: 'decision' name? ':' typeRef '{' missingFalse? decisionArm* '}' ;
decisionArm : (expr | 'else') '=>' outcome=name ('because' expr)? ;

warningsDecl: 'warnings' '{' missingFalse? warningDecl* '}' ;
warningDecl : code=name title=STRING? 'when' expr ;

groupDecl   : 'group' 'by' name '{' groupStmt* '}' ;
groupStmt   : 'let' name '=' expr                                         # groupLet
            | 'when' expr '=>' action (',' action)*                      # groupUpdate
            ;
action      : 'warn' code=name title=STRING?                              # warnAction
            | 'set' name '=' expr ('because' expr)?                       # setAction
            ;

// `output { ... }` is the record output; `output NAME per group [order by ...] { ... }` a
// per-group one.
outputDecl  : 'output' (outName=name 'per' 'group' orderBy?)? '{' outputItem (','? outputItem)* ','? '}' ;
outputItem  : name ('=' expr)? ;
orderBy     : 'order' 'by' orderKey (',' orderKey)* ;
orderKey    : name dir=('asc' | 'desc')? ;

// The reject reasons written for each kind of bad row: `rejects { missing => "R02:{field}" }`.
rejectsDecl : 'rejects' '{' rejectText (','? rejectText)* ','? '}' ;
rejectText  : rejectKind '=>' text=STRING ;
rejectKind  : name | 'missing' ;

// Precedence, loosest last: member/call/index, unary minus, * /, + -, ??, is missing,
// comparisons and `in`, not, and, or, if-then-else.
// `=`, `<>`, `!`, `&&` and `||` are not credo: they parse where `==`, `!=`, `not`, `and` and `or`
// would, so that the slip gets one diagnostic (with the fix) from the AST builder instead of a
// cascade of syntax errors.
expr        : primary                                                    # primaryExpr
            | expr '.' name (call='(' args? ')')?                        # memberExpr
            | expr '[' args ']'                                          # indexExpr
            | '-' expr                                                   # negExpr
            | expr op=('*' | '/') expr                                   # mulExpr
            | expr op=('+' | '-') expr                                   # addExpr
            | <assoc=right> expr '??' expr                               # coalesceExpr
            | expr 'is' negated='not'? (missing='missing' | present='present')  # isMissingExpr
            | expr op=('<' | '<=' | '>' | '>=' | '==' | '!=' | '=' | '<>') expr  # compareExpr
            | expr negated='not'? 'in' '[' args ']'                      # inExpr
            | expr negated='not'? 'in' '{' args '}'                      # inSetExpr
            | expr negated='not'? 'in' inBounds                          # inRangeExpr
            | expr negated='not'? 'in' reference=name                    # inReferenceExpr
            | op=('not' | '!') expr                                      # notExpr
            | expr op=('and' | '&&') expr                                # andExpr
            | expr op=('or' | '||') expr                                 # orExpr
            | 'if' expr 'then' expr 'else' expr                          # ifExpr
            ;
primary     : INT                                                        # intLit
            | DECIMAL                                                    # decimalLit
            | STRING                                                     # stringLit
            | ('true' | 'false')                                         # boolLit
            | 'missing'                                                  # missingLit
            | name '(' args? ')'                                         # callExpr
            | name                                                       # nameRef
            | '(' expr ')'                                               # parenExpr
            ;
args        : expr (',' expr)* ;
// A range of an `in`: `[a, b]` alone is the two-value list above, so a range is half-open or open.
inBounds    : open='[' lo=expr ',' hi=expr close=')'
            | open='(' lo=expr ',' hi=expr close=(']' | ')') ;

// Soft keywords: words that open a declaration but are ordinary names elsewhere.
name        : IDENT | 'decision' | 'warnings' | 'reasons' | 'baseline' | 'group' | 'output'
            | 'input' | 'version' | 'table' | 'band' | 'unique' | 'check' | 'set' | 'warn'
            | 'per' | 'order' | 'asc' | 'desc' | 'rejects'
            | 'library' | 'import' | 'const' | 'function'
            | 'scaling' | 'at' | 'odds' | 'pdo' | 'intercept' | 'rounding' | 'weight'
            | 'hit' | 'inputs' | 'outputs' | 'date' | 'reference' | 'keyed' | 'many' ;

INT         : DIGIT ('_'? DIGIT)* ;
DECIMAL     : DIGIT ('_'? DIGIT)* '.' DIGIT+ ;
STRING      : '"' ( '\\' . | ~["\\\r\n] )* '"' ;
IDENT       : [a-zA-Z_] [a-zA-Z_0-9]* ;
fragment DIGIT : [0-9] ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n]+ -> skip ;
// Anything else is one bad character; the parser reports it with its position.
BAD_CHAR      : . ;
