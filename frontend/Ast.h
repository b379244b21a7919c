// frontend/Ast.h — the abstract syntax tree of a .mv file, with source locations.
#pragma once

#include "ir/SourceManager.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mv::ast {

enum class ExprKind : uint8_t {
  IntLit,    ///< intValue
  RealLit,   ///< realValue
  BoolLit,   ///< boolValue
  Name,      ///< name
  Call,      ///< name(args...)
  Index,     ///< args[0][args[1]]
  ArrayLit,  ///< [args...]
  Unary,     ///< unaryOp args[0]
  Binary,    ///< args[0] binaryOp args[1]
  Ternary,   ///< args[0] ? args[1] : args[2]
};

enum class UnaryOp : uint8_t { Neg, Not };
enum class BinaryOp : uint8_t { Mul, Div, Mod, Add, Sub, Lt, Le, Gt, Ge, Eq, Ne, And, Or };

const char* unaryOpText(UnaryOp op);
const char* binaryOpText(BinaryOp op);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind;
  SourceLoc loc;        ///< the operator for Unary/Binary/Ternary/Index; the token otherwise
  int64_t intValue = 0;
  double realValue = 0;
  bool boolValue = false;
  std::string name;     ///< Name, Call
  std::string world;    ///< Name: `world.name` reads the name in that world (empty: unqualified)
  SourceLoc worldLoc;   ///< Name: the world qualifier
  UnaryOp unaryOp{};
  BinaryOp binaryOp{};
  std::vector<ExprPtr> args;
  uint32_t beginOffset = 0, endOffset = 0;  ///< byte range of the whole expression in its file
};

/// `bool`, `int`, `real`, optionally `T[size]...` (outermost size first).
struct TypeExpr {
  std::string name;
  SourceLoc loc;
  std::vector<ExprPtr> sizes;  ///< empty for scalars
};

struct ConstDecl {
  std::string name;
  SourceLoc loc;
  ExprPtr value;
};

/// `data NAME: TYPE`: a value bound when the program runs (spec/data.md §1).
struct DataDecl {
  std::string name;
  SourceLoc loc;
  TypeExpr type;
};

struct Param {
  std::string name;
  SourceLoc loc;
  TypeExpr type;
};

struct FnDecl {
  std::string name;
  SourceLoc loc;
  std::vector<Param> params;
  TypeExpr result;
  ExprPtr body;
};

/// `x` or `z[i]` (or `z[i][j]`) on the left of `~`, `=`, `intervene` or `do`.
struct Target {
  std::string name;
  SourceLoc loc;
  std::vector<ExprPtr> indices;
};

/// `normal(0, 1)` after `~` or `propose`.
struct DistCall {
  std::string name;
  SourceLoc loc;
  std::vector<ExprPtr> args;
};

enum class StmtKind : uint8_t { Site, Node, For, If, Factor };

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;

struct Stmt {
  StmtKind kind;
  SourceLoc loc;
  Target target;                     ///< Site, Node
  DistCall dist;                     ///< Site
  std::optional<DistCall> proposal;  ///< Site
  ExprPtr value;                     ///< Node: the expression; If: the condition; Factor: the term
  std::string loopVar;               ///< For
  SourceLoc loopVarLoc;              ///< For
  ExprPtr from, to;                  ///< For: from..to (half-open)
  std::vector<StmtPtr> body;         ///< For, If (then)
  std::vector<StmtPtr> elseBody;     ///< If (an `else if` is one nested If here)
  bool hasElse = false;
};

struct ModelDecl {
  std::string name;
  SourceLoc loc;
  std::vector<StmtPtr> body;
};

enum class QueryStmtKind : uint8_t { Observe, Intervene, Do, Predict, Factor, World, For };
enum class WorldQualifier : uint8_t { Default, Factual, Counterfactual };

struct QueryStmt {
  QueryStmtKind kind;
  SourceLoc loc;                     ///< the keyword
  ExprPtr expr;                      ///< Observe, Predict, Factor
  Target target;                     ///< Intervene, Do
  ExprPtr value;                     ///< Intervene, Do: `x = value`
  std::optional<DistCall> dist;      ///< Intervene, Do: `x ~ dist`
  std::string label;                 ///< Predict: explicit label or the expression's text
  bool hasLabel = false;
  SourceLoc labelLoc;
  std::vector<ExprPtr> labelIndices; ///< Predict: `predict p[i] = ...` (compile-time ints)
  WorldQualifier world = WorldQualifier::Default;
  int worldQualifierCount = 0;       ///< > 1 is an error
  std::string worldName;             ///< World: `world NAME { body }`
  SourceLoc worldNameLoc;            ///< World
  std::vector<QueryStmt> body;       ///< World, For
  std::string loopVar;               ///< For
  SourceLoc loopVarLoc;              ///< For
  ExprPtr from, to;                  ///< For: from..to (half-open)
};

struct QueryDecl {
  std::string name;
  SourceLoc loc;
  std::string model;
  SourceLoc modelLoc;
  std::vector<QueryStmt> body;
};

/// A whole file, declarations kept in source order within each kind.
struct Program {
  std::vector<ConstDecl> consts;
  std::vector<DataDecl> datas;  ///< in source order: the order of the data buffer
  std::vector<FnDecl> fns;
  std::vector<ModelDecl> models;
  std::vector<QueryDecl> queries;
};

}  // namespace mv::ast
