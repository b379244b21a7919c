// tests/unit/backend/RandomModels.cpp — random well-typed .mv programs for differential testing.
#include "tests/unit/backend/RandomModels.h"

#include <algorithm>
#include <functional>
#include <random>
#include <sstream>
#include <vector>

namespace mv::test {
namespace {

enum class T { Bool, Int, Real };

class Generator {
public:
  explicit Generator(uint64_t seed, bool withData = false)
      : rng_(seed), withData_(withData), truncatedTurn_(size_t(seed / 7919)) {}

  /// The JSON object binding the data declared (randomDataProgram).
  std::string dataJson() const {
    std::string s = "{";
    for (size_t k = 0; k < json_.size(); ++k) s += (k ? ", \"" : "\"") + json_[k].first + "\": " + json_[k].second;
    return s + "}";
  }

  std::string program() {
    out_ << "model m {\n";
    int n = range(4, 14);
    for (int i = 0; i < n; ++i) statement();
    if (bools_.empty()) {  // queries observe and intervene on bools
      out_ << "  sb ~ bernoulli(" << prob() << ")\n";
      define("sb", T::Bool);
    }
    out_ << "}\n";
    query("q1", false);
    query("q2", true);
    worldsQuery("q3");
    return consts_.str() + out_.str();
  }

private:
  int range(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <class V> const V& pick(const std::vector<V>& v) { return v[size_t(range(0, int(v.size()) - 1))]; }
  std::string fresh(const char* prefix) { return prefix + std::to_string(counter_++); }
  std::string prob() { return pick<std::string>({"0.1", "0.25", "0.5", "0.7", "0.9", "0.03", "0.999"}); }
  std::string realLit() { return pick<std::string>({"0.5", "1.5", "-2.25", "3.0", "0.0", "1e-3", "10.0", "-0.75"}); }
  std::string intLit() {
    // Now and then an int at the edges of int64 (exact above 2^53, wrapping at INT64_MAX).
    if (chance(0.05)) return pick<std::string>({"9007199254740993", "9223372036854775807", "-9223372036854775807"});
    return pick<std::string>({"0", "1", "2", "3", "-1", "7", "-4"});
  }
  std::vector<std::string>& names(T t) { return t == T::Bool ? bools_ : t == T::Int ? ints_ : reals_; }

  // Each sub-expression below is drawn into a local first where one expression would draw two:
  // the order of the operands of `+` (and of a call's arguments) is unspecified, and gcc and
  // clang differ, so the same seed wrote different programs under the two compilers. The
  // order kept is gcc's (right to left), so the programs the gcc suite was tuned on stay.
  std::string binary(T lt, const char* op, T rt, int depth) {
    std::string r = expr(rt, depth - 1);
    return "(" + expr(lt, depth - 1) + op + r + ")";
  }
  std::string call2(T t, int depth) {  // min or max
    std::string b = expr(t, depth - 1), a = expr(t, depth - 1);
    return pick<std::string>({"min", "max"}) + "(" + a + ", " + b + ")";
  }
  std::string conditional(T t, int depth) {
    std::string no = expr(t, depth - 1), yes = expr(t, depth - 1);
    return "(" + expr(T::Bool, depth - 1) + " ? " + yes + " : " + no + ")";
  }
  std::string bernoulliIf() {
    std::string no = prob(), yes = prob();
    return "bernoulli(" + expr(T::Bool, 1) + " ? " + yes + " : " + no + ")";
  }

  std::string expr(T t, int depth) {
    if (depth <= 0 || chance(0.3)) return leaf(t);
    switch (t) {
      case T::Bool: {
        switch (range(0, 5)) {
          case 0: {
            std::string r = expr(T::Real, depth - 1), op = pick<std::string>({"<", "<=", ">", ">="});
            return "(" + expr(T::Real, depth - 1) + " " + op + " " + r + ")";
          }
          case 1: {
            std::string r = expr(T::Int, depth - 1), op = pick<std::string>({"==", "!=", "<", ">="});
            return "(" + expr(T::Int, depth - 1) + " " + op + " " + r + ")";
          }
          case 2: return binary(T::Bool, " && ", T::Bool, depth);
          case 3: return binary(T::Bool, " || ", T::Bool, depth);
          case 4: return "!" + expr(T::Bool, depth - 1);
          default: return binary(T::Bool, " != ", T::Bool, depth);
        }
      }
      case T::Int: {
        switch (range(0, 7)) {
          case 0: return binary(T::Int, " + ", T::Int, depth);
          case 1: return binary(T::Int, " - ", T::Int, depth);
          case 2: return binary(T::Int, " * ", T::Int, depth);
          case 3: {
            std::string r = chance(0.8) || ints_.empty() ? "(abs(" + expr(T::Int, depth - 1) + ") + 1)" : pick(ints_);
            return "(" + expr(T::Int, depth - 1) + " % " + r + ")";
          }
          case 4: {
            std::string a = expr(T::Real, depth - 1);
            return pick<std::string>({"floor", "ceil", "round"}) + "(" + a + ")";
          }
          case 5: return call2(T::Int, depth);
          case 6: return conditional(T::Int, depth);
          default: return "abs(" + expr(T::Int, depth - 1) + ")";
        }
      }
      case T::Real: {
        switch (range(0, 9)) {
          case 0: return binary(T::Real, " + ", chance(0.7) ? T::Real : T::Int, depth);
          case 1: return binary(T::Real, " - ", T::Real, depth);
          case 2: return binary(T::Real, " * ", chance(0.7) ? T::Real : T::Bool, depth);
          case 3: {  // a constant divisor of 0 is a compile-time error
            std::string r = reals_.empty() || chance(0.5) ? "(abs(" + expr(T::Real, depth - 1) + ") + 0.5)" : pick(reals_);
            return "(" + expr(T::Real, depth - 1) + " / " + r + ")";
          }
          case 4: {
            std::string a = expr(T::Real, depth - 1);
            return pick<std::string>({"exp", "sigmoid", "expm1"}) + "(min(" + a + ", 5.0))";
          }
          case 5: {
            std::string a = expr(T::Real, depth - 1);
            return pick<std::string>({"log", "sqrt", "log1p"}) + "(abs(" + a + ") + 0.5)";
          }
          case 6: {
            std::string e = realLit();
            return "pow(abs(" + expr(T::Real, depth - 1) + ") + 0.25, " + e + ")";
          }
          case 7: return call2(T::Real, depth);
          case 8: return conditional(T::Real, depth);
          default: return "-" + expr(T::Real, depth - 1);
        }
      }
    }
    return leaf(t);
  }

  /// A fresh `data` declaration of element type `t` (a scalar for len < 0) with its value in
  /// the JSON; `probs`: a row of probabilities (real[k], or `rows` such rows). Returns its name.
  std::string datum(T t, int len, bool probs = false, int rows = 0) {
    std::string n = fresh("D");
    auto one = [&] {
      if (t == T::Bool) return std::string(chance(0.5) ? "true" : "false");
      if (t == T::Int) return pick<std::string>({"0", "1", "2", "-1", "5"});
      return pick<std::string>({"0.5", "1.5", "-2.25", "3.0", "0.0", "0.001", "-0.75"});
    };
    auto array = [&] {
      if (probs) return probRow(len);
      std::string s = "[";
      for (int i = 0; i < len; ++i) s += (i ? ", " : "") + one();
      return s + "]";
    };
    std::string value = len < 0 ? one() : array();
    if (rows > 0) {
      value = "[";
      for (int r = 0; r < rows; ++r) value += (r ? ", " : "") + array();
      value += "]";
    }
    const char* type = t == T::Bool ? "bool" : t == T::Int ? "int" : "real";
    consts_ << "data " << n << ": " << type << (rows > 0 ? "[" + std::to_string(rows) + "]" : "")
            << (len >= 0 ? "[" + std::to_string(len) + "]" : "") << "\n";
    json_.emplace_back(n, value);
    return n;
  }

  std::string leaf(T t) {
    if (withData_ && chance(0.08)) return datum(t, -1);  // data in an expression
    std::vector<std::string>& ns = names(t);
    if (!ns.empty() && chance(0.75)) return pick(ns);
    if (t == T::Bool) return chance(0.5) ? "true" : "false";
    if (t == T::Int) return intLit();
    if (!ints_.empty() && chance(0.2)) return "(" + pick(ints_) + " * 1.0)";  // promoted
    return realLit();
  }

  /// A distribution call of value type `t`; params mostly constants, sometimes expressions.
  std::string dist(T t) {
    if (t == T::Bool)
      return chance(0.6) ? "bernoulli(" + prob() + ")"
             : chance(0.5) ? bernoulliIf()
                           : "bernoulli(sigmoid(" + expr(T::Real, 2) + "))";
    if (t == T::Int) {
      switch (range(0, 9)) {
        case 6:
        case 7:
        case 8:
        case 9: {  // truncated discrete, each in turn: summed (narrow) or by the CDF (wide), bounds sometimes computed
          const std::string lo = chance(0.3) ? "(" + expr(T::Bool, 1) + " ? 0 : 1)" : "1";
          const std::vector<std::string> calls{
              "truncated(poisson(" + pick<std::string>({"0.5", "3.0", "12.5"}) + "), " + lo + ", 9)",
              "truncated(binomial(20, " + prob() + "), " + lo + ", 15)",
              "truncated(geometric(0.1), " + lo + ", 100)",
              "truncated(negative_binomial(2.0, 0.25), " + lo + ", 200)",
              "truncated(categorical([0.2, 0.3, 0.5]), " + lo + ", 2)",
              "truncated(categorical_logits([" + realLit() + ", 0.5, -1.0]), " + lo + ", 3)"};
          return calls[truncatedTurn_++ % calls.size()];
        }
        case 0: return "poisson(" + pick<std::string>({"0.5", "3.0", "12.5"}) + ")";
        case 1: {
          std::string q = prob();
          return "binomial(" + pick<std::string>({"5", "20", "40"}) + ", " + q + ")";
        }
        case 2: return "geometric(" + prob() + ")";
        case 3: {
          std::string q = prob();
          return "negative_binomial(" + pick<std::string>({"0.5", "2.0", "7.5"}) + ", " + q + ")";
        }
        case 4: {
          std::string c = expr(T::Bool, 1);
          return "categorical_logits([" + realLit() + ", (" + c + " ? 1.5 : -0.5), -1.0])";
        }
        case 5:
          if (withData_ && chance(0.6)) {  // data rows, checked when bound
            if (chance(0.5)) return "categorical(" + datum(T::Real, 3, true) + ")";
            std::string i = index(2);
            return "categorical(" + datum(T::Real, 3, true, 2) + "[" + i + "])";
          }
          [[fallthrough]];
        default: return "categorical([0.2, 0.3, 0.5])";
      }
    }
    switch (range(0, 15)) {
      case 9: return "half_normal(" + pick<std::string>({"0.5", "2.0"}) + ")";
      case 10: {
        std::string scale = pick<std::string>({"0.5", "2.0"});
        return "cauchy(" + expr(T::Real, 1) + ", " + scale + ")";
      }
      case 11: return "half_cauchy(" + pick<std::string>({"0.5", "2.0"}) + ")";
      case 12: return "logistic(" + expr(T::Real, 1) + ", 1.5)";
      case 13: return "weibull(" + pick<std::string>({"0.5", "1.5", "4.0"}) + ", 2.0)";
      case 14:
        return pick<std::string>({"truncated(normal(0.5, 2.0), -1.0, 3.0)", "truncated(exponential(2.0), 0.25, 4.0)",
                                  "truncated(cauchy(0.0, 1.0), -5.0, 5.0)", "truncated(logistic(1.0, 0.5), 0.0, 1.0)",
                                  "truncated(weibull(1.5, 2.0), 1.0, 2.0)", "truncated(lognormal(0.0, 1.0), 0.5, 8.0)",
                                  "truncated(half_normal(1.0), 0.5, 2.5)", "truncated(laplace(0.0, 1.0), -0.5, 6.0)",
                                  "truncated(half_cauchy(1.0), 0.0, 3.0)", "truncated(uniform(0.0, 4.0), 1.0, 9.0)",
                                  "truncated(gamma(2.0, 1.5), 0.5, 4.0)", "truncated(beta(2.0, 3.0), 0.1, 0.9)",
                                  "truncated(student_t(3.0, 0.0, 1.0), -2.0, 2.0)"});
      case 0: return "uniform(" + realLit() + ", 12.0)";
      case 1: return "exponential(" + pick<std::string>({"0.5", "2.0"}) + ")";
      case 2: return "gamma(" + pick<std::string>({"0.5", "2.0", "7.5"}) + ", 1.5)";
      case 3: return "beta(" + pick<std::string>({"0.5", "2.0"}) + ", 3.0)";
      case 4: return "laplace(" + expr(T::Real, 1) + ", 1.5)";
      case 5: return "student_t(3.0, " + expr(T::Real, 1) + ", 2.0)";
      case 6: return "lognormal(0.5, " + pick<std::string>({"0.25", "1.0"}) + ")";
      case 7: {
        std::string sd = chance(0.8) || reals_.empty() ? "1.5" : "abs(" + pick(reals_) + ")";
        return "normal(" + expr(T::Real, 2) + ", " + sd + ")";
      }
      default: return "normal(" + expr(T::Real, 2) + ", 2.0)";
    }
  }

  void define(const std::string& name, T t) { names(t).push_back(name); }

  /// A row of k probabilities that sums to 1 exactly (dyadic), so categorical accepts it.
  std::string probRow(int k) {
    static const std::vector<std::vector<std::string>> rows2{{"0.5", "0.5"}, {"0.25", "0.75"}, {"0.875", "0.125"}, {"1.0", "0.0"}};
    static const std::vector<std::vector<std::string>> rows3{{"0.25", "0.25", "0.5"}, {"0.125", "0.375", "0.5"}, {"0.0", "0.5", "0.5"}};
    const std::vector<std::string>& r = k == 2 ? pick(rows2) : pick(rows3);
    std::string s = "[";
    for (size_t i = 0; i < r.size(); ++i) s += (i ? ", " : "") + r[i];
    return s + "]";
  }

  /// A constant table declared before the model: `depth` dimensions of `rows` each, then
  /// rows of `k` probabilities (or of reals when !probs). Returns its name.
  std::string table(int depth, int rows, int k, bool probs) {
    std::string n = fresh(probs ? "TP" : "TR");
    std::function<std::string(int)> level = [&](int d) -> std::string {
      if (d == 0) {
        if (probs) return probRow(k);
        std::string s = "[";
        for (int i = 0; i < k; ++i) s += (i ? ", " : "") + realLit();
        return s + "]";
      }
      std::string s = "[";
      for (int i = 0; i < rows; ++i) s += (i ? ", " : "") + level(d - 1);
      return s + "]";
    };
    consts_ << "const " << n << " = " << level(depth) << "\n";
    return n;
  }

  /// An index into a dimension of length `len`: a bool when len is 2 (now and then), else
  /// an int kept in range.
  std::string index(int len) {
    if (len == 2 && chance(0.5)) return expr(T::Bool, 1);
    return "(abs(" + expr(T::Int, 1) + ") % " + std::to_string(len) + ")";
  }

  /// A table read: `T[i][j]...` down to a row (forRow) or an element.
  std::string tableRead(const std::string& name, int depth, int rows, int k, bool forRow) {
    std::string s = name;
    for (int d = 0; d < depth; ++d) s += "[" + index(rows) + "]";
    if (!forRow) s += "[" + index(k) + "]";
    return s;
  }

  /// A bounded factor term: finite wherever its operands are, so no sample fails on it.
  std::string factorTerm() {
    switch (range(0, 2)) {
      case 0: return "-0.5 * min(abs(" + expr(T::Real, 2) + "), 10.0)";
      case 1: {
        std::string other = pick<std::string>({"log(0.25)", "-1.5", "log(0.0)"});
        return "(" + expr(T::Bool, 1) + " ? 0.0 : " + other + ")";
      }
      default: return "max(min(" + expr(T::Real, 2) + ", 2.0), -2.0)";
    }
  }

  void statement() {
    T t = pick<T>({T::Bool, T::Bool, T::Int, T::Real, T::Real});
    switch (range(0, 10)) {
      case 0: case 1: case 2: {
        std::string n = fresh("s");
        std::string proposal;
        if (t == T::Bool && chance(0.2)) proposal = " propose bernoulli(" + prob() + ")";
        if (t == T::Real && chance(0.15)) proposal = " propose normal(0.0, 3.0)";
        std::string d = proposal.empty() ? dist(t) : (t == T::Bool ? "bernoulli(" + prob() + ")" : "normal(1.0, 2.0)");
        if (t == T::Int && proposal.empty() && chance(0.15)) {  // a dirichlet site (an array) and a draw from it
          std::string p = fresh("p");
          // Now and then a concentration read from a bool: random, and changed by a `do` on it.
          std::string second = chance(0.5) ? "2.0" : "(" + expr(T::Bool, 1) + " ? 2.0 : 0.5)";
          out_ << "  " << p << " ~ dirichlet([" << pick<std::string>({"1.0", "0.5", "3.0"}) << ", " << second << ", "
               << pick<std::string>({"1.0", "0.25"}) << "])\n";
          for (int i = 0; i < 3; ++i) define(p + "[" + std::to_string(i) + "]", T::Real);
          dirichlets_.push_back(p);
          d = "categorical(" + p + ")";
        }
        out_ << "  " << n << " ~ " << d << proposal << "\n";
        define(n, t);
        break;
      }
      case 3: case 4: {
        std::string n = fresh("d");
        out_ << "  " << n << " = " << expr(t, 3) << "\n";
        define(n, t);
        break;
      }
      case 5: {  // explicit noise: invertible evidence
        std::string e = fresh("e"), y = fresh("y");
        out_ << "  " << e << " ~ normal(0.0, 1.0)\n";
        define(e, T::Real);
        out_ << "  " << y << " = " << expr(T::Real, 2) << " + " << e << "\n";
        define(y, T::Real);
        invertible_.push_back(y);
        break;
      }
      case 6: {  // flip noise on a bool
        std::string u = fresh("u"), b = fresh("b");
        out_ << "  " << u << " ~ bernoulli(" << prob() << ")\n";
        define(u, T::Bool);
        out_ << "  " << b << " = " << expr(T::Bool, 2) << " != " << u << "\n";
        define(b, T::Bool);
        break;
      }
      case 7: {
        std::string n = fresh("c");
        out_ << "  if " << expr(T::Bool, 2) << " {\n    " << n << " ~ " << dist(t) << "\n  } else {\n    " << n
             << " = " << expr(t, 2) << "\n  }\n";
        define(n, t);
        break;
      }
      case 9: {  // tables (CPTs) and factors
        switch (range(0, 3)) {
          case 0: {  // a categorical site on a row of a table indexed at run time
            int depth = range(1, 2), rows = range(2, 3), k = range(2, 3);
            std::string tb = table(depth, rows, k, true), n = fresh("s");
            out_ << "  " << n << " ~ categorical(" << tableRead(tb, depth, rows, k, true) << ")\n";
            define(n, T::Int);
            break;
          }
          case 1: {  // an element of a real table
            int depth = range(1, 2), rows = range(2, 3), k = range(2, 3);
            std::string tb = table(depth, rows, k, false), n = fresh("d");
            out_ << "  " << n << " = " << tableRead(tb, depth, rows, k, false) << " * " << expr(T::Real, 1) << "\n";
            define(n, T::Real);
            break;
          }
          case 2:
            out_ << "  factor " << factorTerm() << "\n";
            break;
          default:
            out_ << "  if " << expr(T::Bool, 1) << " { factor " << factorTerm() << " }\n";
        }
        break;
      }
      case 8: {
        std::string n = fresh("z");
        int len = range(2, 4);
        out_ << "  for i in 0.." << len << " { " << n << "[i] ~ " << (t == T::Bool ? "bernoulli(" + prob() + ")" : "normal(1.0, 2.0)")
             << " }\n";
        T et = t == T::Bool ? T::Bool : T::Real;
        for (int k = 0; k < len; ++k) define(n + "[" + std::to_string(k) + "]", et);
        families_.push_back(Family{n, len, et});
        std::string d = fresh("x");
        out_ << "  " << d << " = " << n << "[" << "abs(" + expr(T::Int, 1) + ") % " + std::to_string(len) << "]\n";
        define(d, et);
        break;
      }
      default: {
        std::string n = fresh("d");
        out_ << "  " << n << " = " << expr(t, 2) << "\n";
        define(n, t);
      }
    }
  }

  std::string value(T t) { return t == T::Bool ? (chance(0.5) ? "true" : "false") : t == T::Int ? "2" : "1.5"; }
  /// An observed value: a constant, or (with data) now and then a data value of type t.
  std::string observed(T t) { return withData_ && chance(0.5) ? datum(t, -1) : value(t); }

  void query(const char* name, bool counterfactual) {
    out_ << "query " << name << " on m {\n";
    std::vector<std::string> used;
    auto unused = [&](T t) -> std::string {
      for (int tries = 0; tries < 5 && !names(t).empty(); ++tries) {
        std::string n = pick(names(t));
        if (std::find(used.begin(), used.end(), n) == used.end()) {
          used.push_back(n);
          return n;
        }
      }
      return "";
    };
    if (chance(0.7))
      if (std::string n = unused(T::Bool); !n.empty()) out_ << "  observe " << n << " == " << observed(T::Bool) << "\n";
    if (!invertible_.empty() && chance(0.5)) {
      std::string y = pick(invertible_);
      if (std::find(used.begin(), used.end(), y) == used.end()) {
        used.push_back(y);
        out_ << "  observe " << y << " == " << (withData_ && chance(0.5) ? datum(T::Real, -1) : "0.5") << "\n";
      }
    }
    if (!dirichlets_.empty() && chance(0.4)) {  // a dirichlet site observed whole (passes/DirichletInversion.cpp)
      const std::string p = pick(dirichlets_);
      bool free = true;
      for (int i = 0; i < 3; ++i)
        free = free && std::find(used.begin(), used.end(), p + "[" + std::to_string(i) + "]") == used.end();
      if (free) {
        for (int i = 0; i < 3; ++i) used.push_back(p + "[" + std::to_string(i) + "]");
        out_ << "  observe " << p << " == " << pick<std::string>({"[0.2, 0.3, 0.5]", "[0.6, 0.15, 0.25]"}) << "\n";
      }
    }
    if (chance(0.25)) out_ << "  factor " << factorTerm() << "\n";
    if (chance(0.3))  // a comparison, never a bare name (that would be evidence)
      out_ << "  observe (" << expr(T::Real, 2) << " < " << expr(T::Real, 2) << ")\n";
    if (chance(0.3))
      if (std::string n = unused(pick<T>({T::Bool, T::Int, T::Real})); !n.empty()) {
        T t = std::find(bools_.begin(), bools_.end(), n) != bools_.end() ? T::Bool
              : std::find(ints_.begin(), ints_.end(), n) != ints_.end() ? T::Int : T::Real;
        out_ << "  intervene " << n << " = " << value(t) << "\n";
      }
    std::string doTarget;
    if (counterfactual) {
      T t = pick<T>({T::Bool, T::Bool, T::Real, T::Int});
      if (names(t).empty()) t = T::Bool;
      doTarget = pick(names(t));
      out_ << "  do " << doTarget << " = " << value(t) << "\n";
    }
    arrayStatements(used, doTarget, counterfactual);
    int k = range(1, 3);
    for (int i = 0; i < k; ++i) {
      std::string world = counterfactual ? pick<std::string>({"", "factual ", "counterfactual "}) : "";
      out_ << "  predict " << world << "p" << i << " = " << expr(pick<T>({T::Bool, T::Int, T::Real}), 2) << "\n";
    }
    out_ << "}\n";
  }

  struct Family {
    std::string name;
    int len;
    T t;
  };

  /// Arrays in queries (data.md 2): a loop-defined family observed whole (`observe z == [..]`)
  /// or element by element in a `for`, loops of `intervene` / `do` over a family, and a
  /// family predicted whole or per element in a loop with an indexed label.
  void arrayStatements(std::vector<std::string>& used, const std::string& doTarget, bool counterfactual) {
    if (families_.empty()) return;
    auto element = [](const Family& f, int k) { return f.name + "[" + std::to_string(k) + "]"; };
    auto free = [&](const Family& f) {
      for (int k = 0; k < f.len; ++k)
        if (std::find(used.begin(), used.end(), element(f, k)) != used.end()) return false;
      return true;
    };
    auto take = [&](const Family& f) {
      for (int k = 0; k < f.len; ++k) used.push_back(element(f, k));
    };
    const std::string ty = counterfactual ? "do" : "intervene";
    if (chance(0.5)) {
      const Family& f = pick(families_);
      if (free(f)) {
        take(f);
        if (withData_ && chance(0.5)) {  // data observed whole or element by element
          const std::string d = datum(f.t, f.len);
          if (chance(0.5)) out_ << "  observe " << f.name << " == " << d << "\n";
          else out_ << "  for i in 0.." << f.len << " { observe " << f.name << "[i] == " << d << "[i] }\n";
        } else if (chance(0.5)) {
          out_ << "  observe " << f.name << " == [";
          for (int k = 0; k < f.len; ++k) out_ << (k ? ", " : "") << value(f.t);
          out_ << "]\n";
        } else {
          out_ << "  for i in 0.." << f.len << " { observe " << f.name << "[i] == " << value(f.t) << " }\n";
        }
      }
    }
    if (chance(0.35)) {
      const Family& f = pick(families_);
      bool clash = false;
      for (int k = 0; k < f.len; ++k) clash = clash || element(f, k) == doTarget;
      // `intervene` must not meet evidence; a `do` may (the classic counterfactual).
      if (!clash && (counterfactual || free(f))) {
        if (!counterfactual) take(f);
        const std::string v = f.t == T::Bool ? "i % 2 == 0" : "0.5 * i";
        out_ << "  for i in 0.." << f.len << " { " << ty << " " << f.name << "[i] = " << v << " }\n";
      }
    }
    if (chance(0.5)) {
      const Family& f = pick(families_);
      if (chance(0.5)) {
        out_ << "  predict a" << counter_++ << " = " << f.name << "\n";  // one prediction per element
      } else {
        const std::string e = f.t == T::Bool ? f.name + "[i] != " + expr(T::Bool, 1) : f.name + "[i] * " + expr(T::Real, 1);
        out_ << "  for i in 0.." << f.len << " { predict e" << counter_++ << "[i] = " << e << " }\n";
      }
    }
  }

  /// A query of named worlds: constant, shift, other-world and stochastic `do`s (and
  /// sometimes top-level ones), evidence, constraints and factors inside the worlds,
  /// predictions reading several worlds.
  void worldsQuery(const char* name) {
    out_ << "query " << name << " on m {\n";
    if (chance(0.5)) out_ << "  observe " << pick(bools_) << " == " << value(T::Bool) << "\n";
    bool top = chance(0.3);
    if (top) out_ << "  do " << pick(bools_) << " = " << value(T::Bool) << "\n";
    std::vector<std::string> worlds = top ? std::vector<std::string>{"factual", "counterfactual"}
                                          : std::vector<std::string>{"factual"};
    int k = range(1, 3);
    for (int w = 0; w < k; ++w) {
      std::string wname = "w" + std::to_string(w);
      out_ << "  world " << wname << " {";
      std::vector<std::string> targets;
      int dos = range(1, 2);
      for (int d = 0; d < dos; ++d) {
        T t = pick<T>({T::Bool, T::Bool, T::Real, T::Int});
        if (names(t).empty()) t = T::Bool;
        std::string x = pick(names(t));
        if (std::find(targets.begin(), targets.end(), x) != targets.end()) continue;
        targets.push_back(x);
        out_ << "\n    do " << x;
        switch (range(0, 3)) {
          case 0: out_ << " = " << value(t); break;
          case 1:  // a shift: x's own value in this world without this do
            out_ << (t == T::Bool ? " = !" + x : t == T::Int ? " = " + x + " + 1" : " = " + x + " * 1.1");
            break;
          case 2:  // another world's value
            out_ << " = " << pick(worlds) << "." << x;
            break;
          default:  // stochastic, with x's own stream in this world
            out_ << (t == T::Bool ? " ~ bernoulli(0.3)" : t == T::Int ? " ~ binomial(3, 0.5)" : " ~ normal(" + x + ", 1.0)");
        }
      }
      // Evidence in the world (worlds.md §5): on a name it does not set (a site it redraws or
      // keeps, a value it shares, a node it recomputes), a constraint, a factor.
      for (int e = 0; e < 2; ++e) {
        if (!chance(0.5)) continue;
        std::string y = pick(bools_);
        if (std::find(targets.begin(), targets.end(), y) == targets.end()) {
          targets.push_back(y);  // once per world
          out_ << "\n    observe " << y << " == " << observed(T::Bool);
        }
      }
      if (chance(0.3)) out_ << "\n    observe (" << expr(T::Real, 2) << " < " << expr(T::Real, 2) << ")";
      if (chance(0.25)) out_ << "\n    factor " << factorTerm();
      out_ << " }\n";
      worlds.push_back(wname);
    }
    int n = range(1, 3);
    for (int i = 0; i < n; ++i) {
      T t = pick<T>({T::Bool, T::Real, T::Int});
      if (names(t).empty()) t = T::Bool;
      std::string an = pick(names(t));
      std::string a = pick(worlds) + "." + an;
      std::string bn = pick(names(t));
      std::string b = pick(worlds) + "." + bn;
      std::string e = t == T::Bool ? a + " && !" + b : a + " - " + b;
      out_ << "  predict p" << i << " = " << e << "\n";
    }
    out_ << "}\n";
  }

  std::mt19937_64 rng_;
  bool withData_ = false;
  size_t truncatedTurn_;  ///< the truncated discrete calls in turn from a per-program start, so each is written often
  std::vector<std::pair<std::string, std::string>> json_;
  std::ostringstream out_, consts_;
  int counter_ = 0;
  std::vector<std::string> bools_{}, ints_{}, reals_{}, invertible_{};
  std::vector<Family> families_{};
  std::vector<std::string> dirichlets_{};  ///< dirichlet sites (arrays of 3)
};

}  // namespace

std::string randomProgram(uint64_t seed) { return Generator(seed * 7919 + 17).program(); }

RandomDataProgram randomDataProgram(uint64_t seed) {
  Generator g(seed * 104729 + 3, true);
  std::string text = g.program();
  return RandomDataProgram{text, g.dataJson()};
}

}  // namespace mv::test
