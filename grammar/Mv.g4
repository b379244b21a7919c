// grammar/Mv.g4 — the syntax of the MultiVerse modelling language (.mv); no actions, no semantics.
//
// Chains (binary operators at one level, prefix operators, `?:` links, `else if`) are loops,
// not recursion, so long chains never deepen the parser's stack; only brackets and the
// middle of `?:` nest, and the pre-scan (frontend/PreScan.cpp) bounds those.
grammar Mv;

// ---- Declarations ---------------------------------------------------------------------

program    : decl* EOF ;

decl       : constDecl | fnDecl | modelDecl | queryDecl | dataDecl ;

constDecl  : 'const' name '=' expr ';'? ;
// `data NAME: TYPE`, bound when the program runs: `data` is a contextual keyword (an
// identifier anywhere else), so the first ID must read `data`; the AST builder checks it.
dataDecl   : ID name ':' typeExpr ';'? ;
fnDecl     : 'fn' ID '(' (param (',' param)*)? ')' '->' typeExpr '=' expr ';'? ;
param      : name ':' typeExpr ;
// The type name is an identifier; the checker decides whether it names a type. Sizes are
// outermost first: `real[2][3]` is two rows of three.
typeExpr   : ID ('[' expr ']')* ;
// `factor` starts a statement but stays usable as a name everywhere else.
name       : ID | FACTOR ;

// ---- Models -----------------------------------------------------------------------------

modelDecl  : 'model' ID block ';'? ;
block      : '{' stmt* '}' ;
stmt       : (assignStmt | factorStmt | forStmt | ifStmt) ';'? ;
// `x ~ dist (propose dist)?` is a site, `x = expr` a deterministic node.
assignStmt : target ( '~' distCall ('propose' distCall)? | '=' expr ) ;
// `factor expr` adds the real expr to the log weight (soft evidence, custom likelihoods).
factorStmt : FACTOR expr ;
forStmt    : 'for' ID 'in' expr '..' expr block ;
ifStmt     : 'if' expr block ('else' 'if' expr block)* ('else' block)? ;
target     : name ('[' expr ']')* ;
distCall   : ID '(' args? ')' ;
args       : expr (',' expr)* ;

// ---- Queries ----------------------------------------------------------------------------

queryDecl  : 'query' ID 'on' ID '{' queryStmt* '}' ';'? ;
queryStmt  : (observeStmt | interveneStmt | predictStmt | factorStmt
             | worldStmt
             | queryForStmt
             ) ';'? ;
// `for i in A..B { ... }` in a query: its statements once per i (compile-time bounds).
queryForStmt  : 'for' ID 'in' expr '..' expr '{' queryStmt* '}' ;
observeStmt   : 'observe' expr ;
// `x = expr` sets x to a value; `x ~ dist` draws it (a stochastic intervention).
interveneStmt : ('intervene' | 'do') target ('=' expr | '~' distCall) ;
// `world NAME { ... }`: `world` is a contextual keyword (an identifier anywhere else), so
// the first ID must read `world`; the AST builder checks it.
worldStmt     : ID (ID | 'factual' | 'counterfactual') '{' queryStmt* '}' ;
// World qualifiers may come before or after the label; the checker rejects more than one.
// A label may be indexed (`predict p[i] = x[i]` in a loop).
predictStmt   : 'predict' world* (ID ('[' expr ']')* '=' world*)? expr ;
world         : 'factual' | 'counterfactual' ;

// ---- Expressions, by falling precedence from the bottom up ----------------------------

// `c ? a : b ? d : e` is a flat chain, grouped to the right by the AST builder.
expr       : orExpr ('?' expr ':' orExpr)* ;
orExpr     : andExpr ('||' andExpr)* ;
andExpr    : eqExpr ('&&' eqExpr)* ;
eqExpr     : relExpr (('==' | '!=') relExpr)* ;
relExpr    : addExpr (('<' | '<=' | '>' | '>=') addExpr)* ;
addExpr    : mulExpr (('+' | '-') mulExpr)* ;
mulExpr    : unaryExpr (('*' | '/' | '%') unaryExpr)* ;
unaryExpr  : ('-' | '!')* postfixExpr ;
postfixExpr: primary ('[' expr ']')* ;
primary    : ID '(' args? ')'          # callPrimary
           | (ID | 'factual' | 'counterfactual') '.' ID  # qualifiedPrimary
           | name                      # namePrimary
           | INT                       # intPrimary
           | REAL                      # realPrimary
           | ('true' | 'false')        # boolPrimary
           | '(' expr ')'              # parenPrimary
           | '[' args? ']'             # arrayPrimary
           ;

// ---- Lexer ------------------------------------------------------------------------------

CONST          : 'const' ;
FN             : 'fn' ;
MODEL          : 'model' ;
QUERY          : 'query' ;
ON             : 'on' ;
OBSERVE        : 'observe' ;
INTERVENE      : 'intervene' ;
DO             : 'do' ;
PREDICT        : 'predict' ;
FACTUAL        : 'factual' ;
COUNTERFACTUAL : 'counterfactual' ;
PROPOSE        : 'propose' ;
FOR            : 'for' ;
IN             : 'in' ;
IF             : 'if' ;
ELSE           : 'else' ;
FACTOR         : 'factor' ;
TRUE           : 'true' ;
FALSE          : 'false' ;

// Punctuation is named so the front end can refer to token types.
LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACK   : '[' ;
RBRACK   : ']' ;
LBRACE   : '{' ;
RBRACE   : '}' ;
COMMA    : ',' ;
SEMI     : ';' ;
COLON    : ':' ;
ARROW    : '->' ;
DOTDOT   : '..' ;
DOT      : '.' ;
TILDE    : '~' ;
QUESTION : '?' ;
OROR     : '||' ;
ANDAND   : '&&' ;
EQEQ     : '==' ;
NEQ      : '!=' ;
LE       : '<=' ;
GE       : '>=' ;
LT       : '<' ;
GT       : '>' ;
ASSIGN   : '=' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;
PERCENT  : '%' ;
BANG     : '!' ;

ID   : [A-Za-z_] [A-Za-z0-9_]* ;
// A real needs a digit or an exponent after '.', so `0..N` lexes as INT '..' ID.
REAL : DIGITS '.' DIGITS EXPONENT?
     | DIGITS '.' EXPONENT
     | DIGITS EXPONENT
     ;
INT  : DIGITS ;

fragment DIGITS   : [0-9] [0-9_]* ;
fragment EXPONENT : [eE] [+-]? DIGITS ;

WS            : [ \t\r\n]+ -> skip ;
LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;

// Anything else becomes a syntax error in the parser rather than a lexer message.
ERROR_CHAR : . ;
