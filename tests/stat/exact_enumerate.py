#!/usr/bin/env python3
"""Exact-enumeration oracle for discrete .mv programs (the core subset).

Reads a .mv file (models of bernoulli / categorical / binomial sites, truncated(D, lo, hi)
of a discrete D, and
deterministic nodes; queries with observe / intervene / do / predict) and
computes every prediction exactly with the twin-world semantics of the
language spec (section 7):

- factual world, in program order: an intervened name takes its value; an
  observed site takes its value and multiplies the weight by its probability;
  an observed node must equal its value (weight 0 otherwise); any other site
  is summed over its support with its prior probability; `observe expr`
  constraints zero the weight where false;
- counterfactual world (queries with `do`): the factual values are kept,
  except that a `do` name takes its value, a node statically downstream of a
  `do` is recomputed, and a site downstream of a `do` keeps its factual value
  where its parameters equal the factual ones (compared exactly: reals bit for
  bit), and elsewhere is redrawn from its prior with its new parameters (summed
  over its support: an independent redraw) -- consistency, spec section 7;
- each prediction is E[f * w] / E[w] in its world (a plain predict is
  counterfactual in a query with `do`, factual otherwise).

`if` blocks: a statement in a branch not taken is skipped (a site there is not
drawn and adds nothing to the weight); the condition is an input of every
statement in the branch, and a redrawn site keeps its factual value only where
the factual world took its branch too.

Constants may be scalars or (nested) arrays, indexed by ints or bools, so
tables of categorical probabilities (CPTs) enumerate; `factor expr` in a
model or a query multiplies the factual weight by exp(expr) (the counterfactual
world does not apply it again).

`for i in A..B { ... }` (constant bounds) is unrolled, in a model and in a query; a
name with constant indices (`wet[h]`, `z[i][j]`) is a name of its own, and a family
(the elements `wet[0]`, `wet[1]`, ...) may be observed with an array (one piece of
evidence per element) or predicted whole (one prediction per element, `wet[0]`, ...;
row-major), as data.md section 2 says.

Proposals do not change the answers and are ignored. Not supported (the
script says so): continuous sites, `fn`, arrays defined in models, indices known only
at run time into a family.

Usage:
  exact_enumerate.py FILE...            print `// exact: QUERY LABEL = VALUE` lines
  exact_enumerate.py --check FILE...    compare them with the file's own
                                        `// exact:` lines (tolerance --tol)
  exact_enumerate.py --log-evidence FILE...
                                        print `QUERY LOG_EVIDENCE` lines: log P(all
                                        evidence), every `observe` of the query
"""
import argparse
import math
import re
import struct
import sys

# ---------------------------------------------------------------- lexer

TOKEN_RE = re.compile(r'''
    (?P<ws>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<num>(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||\.\.|[-+*/%<>!?:~=(){}\[\],;.])
''', re.VERBOSE | re.DOTALL)

KEYWORDS = {'const', 'fn', 'model', 'query', 'on', 'observe', 'intervene', 'do',
            'predict', 'factual', 'counterfactual', 'propose', 'for', 'in', 'if',
            'else', 'true', 'false'}
# `factor` starts a statement only (a contextual keyword): lexed as a name.


class Tok:
    def __init__(self, kind, text, start, end):
        self.kind, self.text, self.start, self.end = kind, text, start, end

    def __repr__(self):
        return '%s:%r' % (self.kind, self.text)


def lex(src):
    toks, pos = [], 0
    while pos < len(src):
        m = TOKEN_RE.match(src, pos)
        if not m:
            raise SyntaxError('bad character %r at offset %d' % (src[pos], pos))
        kind = m.lastgroup
        if kind != 'ws':
            text = m.group()
            if kind == 'id' and text in KEYWORDS:
                kind = 'kw'
            toks.append(Tok(kind, text, m.start(), m.end()))
        pos = m.end()
    toks.append(Tok('eof', '', len(src), len(src)))
    return toks


# ---------------------------------------------------------------- expressions

class Unsupported(Exception):
    pass


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


BUILTINS = {'exp': math.exp, 'log': math.log, 'log1p': math.log1p, 'expm1': math.expm1,
            'sqrt': math.sqrt, 'abs': abs, 'pow': math.pow, 'min': min, 'max': max,
            'floor': math.floor, 'ceil': math.ceil, 'round': round, 'sigmoid': _sigmoid,
            'logit': lambda p: math.log(p / (1.0 - p)), 'len': len, 'sum': sum}

CONSTS = {}  # name -> value (a number, a bool or nested lists), from `const` declarations
LOOPVARS = {}  # a `for` variable -> its value in the iteration being unrolled

BINARY = [  # falling precedence is bottom to top of this list
    ('||',), ('&&',), ('==', '!='), ('<', '<=', '>', '>='), ('+', '-'), ('*', '/', '%')]


def _arith(op, a, b):
    if op == '+':
        return a + b
    if op == '-':
        return a - b
    if op == '*':
        return a * b
    if op == '%':
        return math.fmod(a, b) if isinstance(a, float) or isinstance(b, float) else int(math.fmod(a, b))
    if op == '/':
        if isinstance(a, float) or isinstance(b, float):
            return a / b
        raise Unsupported('integer division')
    raise AssertionError(op)


def _binop(op, fa, fb):
    if op == '||':
        return lambda env: fa(env) or fb(env)
    if op == '&&':
        return lambda env: fa(env) and fb(env)
    if op == '==':
        return lambda env: fa(env) == fb(env)
    if op == '!=':
        return lambda env: fa(env) != fb(env)
    if op == '<':
        return lambda env: fa(env) < fb(env)
    if op == '<=':
        return lambda env: fa(env) <= fb(env)
    if op == '>':
        return lambda env: fa(env) > fb(env)
    if op == '>=':
        return lambda env: fa(env) >= fb(env)
    return lambda env: _arith(op, fa(env), fb(env))


class Parser:
    def __init__(self, src):
        self.src, self.toks, self.i = src, lex(src), 0

    def peek(self, k=0):
        return self.toks[self.i + k]

    def next(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def accept(self, text):
        if self.peek().text == text and self.peek().kind in ('op', 'kw'):
            return self.next()
        return None

    def expect(self, text):
        t = self.next()
        if t.text != text:
            raise SyntaxError('expected %r, found %r at offset %d' % (text, t.text, t.start))
        return t

    def ident(self):
        t = self.next()
        if t.kind != 'id':
            raise SyntaxError('expected a name, found %r at offset %d' % (t.text, t.start))
        return t.text

    # An expression is returned as (closure env -> value, names it reads, first tok, last tok).
    def expr(self):
        first = self.peek()
        f, deps = self.ternary()
        return f, deps, first, self.toks[self.i - 1]

    def ternary(self):
        c, dc = self.binary(0)
        if self.accept('?'):
            a, da = self.ternary()
            self.expect(':')
            b, db = self.ternary()
            return (lambda env: a(env) if c(env) else b(env)), dc | da | db
        return c, dc

    def binary(self, level):
        if level == len(BINARY):
            return self.unary()
        f, d = self.binary(level + 1)
        while self.peek().kind == 'op' and self.peek().text in BINARY[level]:
            op = self.next().text
            g, dg = self.binary(level + 1)
            f, d = _binop(op, f, g), d | dg
        return f, d

    def unary(self):
        if self.accept('-'):
            f, d = self.unary()
            return (lambda env: -f(env)), d
        if self.accept('!'):
            f, d = self.unary()
            return (lambda env: not f(env)), d
        return self.primary()

    def primary(self):
        t = self.next()
        if t.kind == 'num':
            text = t.text.replace('_', '')
            v = float(text) if ('.' in text or 'e' in text or 'E' in text) else int(text)
            return (lambda env: v), set()
        if t.kind == 'kw' and t.text in ('true', 'false'):
            v = t.text == 'true'
            return (lambda env: v), set()
        if t.text == '(':
            f, d = self.ternary()
            self.expect(')')
            return f, d
        if t.text == '[':
            elems = self.args(']')
            fs = [a for a, _ in elems]
            deps = set().union(*(d for _, d in elems))
            return self.index((lambda env: [a(env) for a in fs]), deps)
        if (t.kind == 'id' or t.text in ('factual', 'counterfactual')) and self.peek().text == '.':
            self.next()  # `W.x`: x's value in world W
            key = t.text + '.' + self.ident()
            return (lambda env: env[key]), {key}
        if t.kind == 'id':
            name = t.text
            if self.accept('('):
                args = self.args()
                if name not in BUILTINS:
                    raise Unsupported('function %r' % name)
                fn = BUILTINS[name]
                fs = [a for a, _ in args]
                deps = set().union(*(d for _, d in args)) if args else set()
                return (lambda env: fn(*(a(env) for a in fs))), deps
            if name in LOOPVARS:
                v = LOOPVARS[name]  # bound now: the body is parsed once per iteration
                return (lambda env: v), set()
            if name in CONSTS:
                return self.index((lambda env: CONSTS[name]), set())
            if self.peek().text == '[':
                name = self.indexed(name)  # `z[i][j]`: an element, a name of its own
            return (lambda env: env[name]), {name}
        raise SyntaxError('unexpected %r at offset %d' % (t.text, t.start))

    def indexed(self, name):
        """`name[i][j]...` with constant indices: the element's name `name[2][0]`."""
        while self.accept('['):
            f, deps = self.ternary()
            self.expect(']')
            if deps:
                raise Unsupported('an index known only at run time into %r' % name)
            name += '[%d]' % int(f({}))
        return name

    def unroll(self, parse_body):
        """`for VAR in A..B { ... }` (after `for`): the body parsed once per iteration with
        VAR bound; returns the list of what each parse returned."""
        var = self.ident()
        self.expect('in')
        lo, dl = self.binary(0)
        self.expect('..')
        hi, dh = self.binary(0)
        if dl or dh:
            raise SyntaxError('a loop bound must be a constant')
        start, out = self.i, []
        for k in range(int(lo({})), int(hi({}))):
            self.i = start
            LOOPVARS[var] = k
            out.append(parse_body())
        LOOPVARS.pop(var, None)
        if self.i == start:  # no iteration: skip the body
            depth = 0
            while True:
                t = self.next()
                depth += (t.text == '{') - (t.text == '}')
                if depth == 0:
                    break
        return out

    def elements(self, model, name):
        """The elements of family `name` of `model` (`name[0]`, `name[0][1]`, ...), in
        row-major order, or None when `name` is no family."""
        found = []
        for s in self.models.get(model, []):
            n = s['name']
            if n and n.startswith(name + '[') and n not in found:
                found.append(n)
        if not found:
            return None
        return sorted(found, key=lambda n: [int(k) for k in re.findall(r'\[(\d+)\]', n[len(name):])])

    def index(self, f, deps):
        """`f` followed by any number of `[i]` (a bool index is 0 or 1)."""
        while self.accept('['):
            i, di = self.ternary()
            self.expect(']')
            f = (lambda base, i: lambda env: base(env)[int(i(env))])(f, i)
            deps = deps | di
        return f, deps

    def args(self, close=')'):
        out = []
        if self.accept(close):
            return out
        while True:
            f, d = self.ternary()
            out.append((f, d))
            if self.accept(close):
                return out
            self.expect(',')

    def dist(self):
        name = self.ident()
        self.expect('(')
        if name == 'truncated':  # truncated(D(args), lo, hi): 'truncated:D' with D's args, lo, hi
            base, fs, deps = self.dist()
            self.expect(',')
            args = self.args()
            return ('truncated:' + base, fs + [f for f, _ in args],
                    deps.union(*(d for _, d in args)) if args else deps)
        args = self.args()
        return name, [f for f, _ in args], set().union(*(d for _, d in args)) if args else set()

    def world_block(self):
        """`world NAME { do x = v | do x = W.y | do x ~ D(args) ... }`."""
        name = self.ident()
        self.expect('{')
        dos = []
        while not self.accept('}'):
            if self.accept(';'):
                continue
            if not self.accept('do'):
                raise Unsupported('%r inside a world block' % self.peek().text)
            target = self.ident()
            if self.accept('~'):
                dname, args, deps = self.dist()
                dos.append((target, ('draw', dname, args, deps)))
            else:
                self.expect('=')
                f, deps, _, _ = self.expr()
                dos.append((target, ('value', f, deps)))
        return (name, dos)

    # ------------------------------------------------------------ declarations

    def program(self):
        models, queries = {}, []
        self.models = models
        while self.peek().kind != 'eof':
            if self.accept(';'):
                continue
            t = self.next()
            if t.text == 'model':
                name = self.ident()
                models[name] = self.model_body()
            elif t.text == 'query':
                queries.append(self.query())
            elif t.text == 'const':
                name = self.ident()
                self.expect('=')
                CONSTS[name] = self.const_value()
            else:
                raise Unsupported('declaration %r' % t.text)
        return models, queries

    def model_body(self, guard=(), guard_deps=frozenset()):
        """The statements of a block, flattened: each carries its guard, the conditions
        [(closure, polarity)] of the `if`s around it, and reads their names."""
        self.expect('{')
        stmts = []
        while not self.accept('}'):
            if self.accept(';'):
                continue
            if self.accept('if'):
                stmts += self.if_chain(guard, guard_deps)
                continue
            if self.accept('for'):
                for body in self.unroll(lambda: self.model_body(guard, guard_deps)):
                    stmts += body
                continue
            if self.peek().kind == 'kw':
                raise Unsupported('statement %r' % self.peek().text)
            if self.peek().text == 'factor' and self.peek(1).text not in ('=', '~', '['):
                self.next()
                f, deps, _, _ = self.expr()
                stmts.append({'kind': 'factor', 'name': None, 'fn': f, 'deps': deps | guard_deps,
                              'guard': guard})
                continue
            name = self.indexed(self.ident())
            if self.accept('~'):
                dname, args, deps = self.dist()
                if self.accept('propose'):
                    self.dist()
                stmts.append({'kind': 'site', 'name': name, 'dist': dname, 'args': args,
                              'deps': deps | guard_deps, 'guard': guard})
            else:
                self.expect('=')
                f, deps, _, _ = self.expr()
                stmts.append({'kind': 'node', 'name': name, 'fn': f, 'deps': deps | guard_deps,
                              'guard': guard})
        return stmts

    def if_chain(self, guard, guard_deps):
        # `if c1 {A} else if c2 {B} else {C}`: A under c1, B under !c1 && c2, C under both false.
        out, taken = [], []
        while True:
            c, dc = self.ternary()
            guard_deps = guard_deps | dc
            out += self.model_body(guard + tuple(taken) + ((c, True),), guard_deps)
            taken.append((c, False))
            if not self.accept('else'):
                return out
            if self.accept('if'):
                continue
            return out + self.model_body(guard + tuple(taken), guard_deps)

    def const_value(self):
        f, deps, _, _ = self.expr()
        if deps:
            raise SyntaxError('a value must be a constant')
        return f({})

    def query(self):
        q = {'name': self.ident(), 'observe': [], 'constraints': [], 'intervene': [],
             'do': [], 'predict': [], 'factors': []}
        self.expect('on')
        q['model'] = self.ident()
        self.expect('{')
        while not self.accept('}'):
            self.query_stmt(q)
        return q

    def target_ahead(self):
        """Whether a name, with any `[...]` indices, followed by `text` comes next."""
        if self.peek().kind != 'id':
            return None
        k, depth = 1, 0
        while self.peek(k).text == '[' or depth:
            depth += (self.peek(k).text == '[') - (self.peek(k).text == ']')
            k += 1
        return self.peek(k).text

    def query_stmt(self, q):
        if self.accept(';'):
            return
        t = self.next()
        if t.text == 'for':
            def body():
                self.expect('{')
                while not self.accept('}'):
                    self.query_stmt(q)
            self.unroll(body)
        elif t.text == 'observe':
            if self.target_ahead() == '==':
                name = self.indexed(self.ident())
                self.expect('==')
                value = self.const_value()
                family = self.elements(q['model'], name)
                if family is None:
                    q['observe'].append((name, value))
                    return
                # An array observed on a family: one piece of evidence per element.
                flat = []

                def walk(prefix, v):
                    if isinstance(v, list):
                        for k, x in enumerate(v):
                            walk(prefix + '[%d]' % k, x)
                    else:
                        flat.append((prefix, v))
                walk(name, value)
                if [n for n, _ in flat] != family:
                    raise SyntaxError('%s: the observed array has not the shape of %r' % (q['name'], name))
                q['observe'] += flat
            else:
                f, _, _, _ = self.expr()
                q['constraints'].append(f)
        elif t.text == 'factor':
            f, _, _, _ = self.expr()
            q['factors'].append(f)
        elif t.text in ('intervene', 'do'):
            name = self.indexed(self.ident())
            self.expect('=')
            q[t.text].append((name, self.const_value()))
        elif t.kind == 'id' and t.text == 'world':
            q.setdefault('worlds', []).append(self.world_block())
        elif t.text == 'predict':
            label = None
            if self.target_ahead() == '=':
                label = self.indexed(self.ident())
                self.next()
            world = None
            if (self.peek().text in ('factual', 'counterfactual') and self.peek().kind == 'kw'
                    and self.peek(1).text != '.'):
                world = self.next().text
            at = self.i
            if self.target_ahead() in ('}', ';', 'predict', 'observe', 'do', 'intervene', 'factor'):
                name = self.indexed(self.ident())  # a bare (indexed) name: a family is an array
                family = self.elements(q['model'], name)
                if family is not None:
                    for n in family:
                        q['predict'].append({'label': (label or name) + n[len(name):], 'world': world,
                                             'fn': (lambda n: lambda env: env[n])(n)})
                    return
                self.i = at
            f, _, first, last = self.expr()
            if label is None:
                # The text as written, each loop variable replaced by its value (data.md 2).
                label = ' '.join(self.src[first.start:last.end].split())
                label = re.sub(r'(?<![\w.])([A-Za-z_]\w*)',
                               lambda m: str(LOOPVARS[m.group(1)]) if m.group(1) in LOOPVARS else m.group(1),
                               label)
            q['predict'].append({'label': label, 'world': world, 'fn': f})
        else:
            raise SyntaxError('unexpected %r in query at offset %d' % (t.text, t.start))


# ---------------------------------------------------------------- distributions

def support(dist, args):
    """[(value, probability)] of a discrete distribution."""
    if dist == 'bernoulli':
        p = float(args[0])
        return [(True, p), (False, 1.0 - p)]
    if dist == 'categorical':
        return [(k, float(p)) for k, p in enumerate(args[0])]
    if dist == 'binomial':
        n, p = int(args[0]), float(args[1])
        return [(k, math.comb(n, k) * p ** k * (1 - p) ** (n - k)) for k in range(n + 1)]
    if dist.startswith('truncated:'):
        # D's pmf on the ints of [lo, hi] (within D's support), over their sum.
        base, lo, hi = dist[len('truncated:'):], int(args[-2]), int(args[-1])
        ks = [k for k in range(max(lo, 0), hi + 1)]
        ws = [(k, base_pmf(base, args[:-2], k)) for k in ks]
        mass = sum(w for _, w in ws)
        if not mass > 0:
            raise Unsupported('truncated %s with no mass in [%d, %d]' % (base, lo, hi))
        return [(k, w / mass) for k, w in ws]
    raise Unsupported('distribution %r is not enumerable' % dist)


def base_pmf(dist, args, k):
    """P(D = k) for an int k >= 0 of the discrete distributions truncated(D, lo, hi) accepts."""
    if dist == 'categorical':
        return float(args[0][k]) if k < len(args[0]) else 0.0
    if dist == 'categorical_logits':
        ls = [float(x) for x in args[0]]
        m = max(ls)
        return math.exp(ls[k] - m) / sum(math.exp(x - m) for x in ls) if k < len(ls) else 0.0
    if dist == 'binomial':
        n, p = int(args[0]), float(args[1])
        return math.comb(n, k) * p ** k * (1 - p) ** (n - k) if k <= n else 0.0
    if dist == 'poisson':
        rate = float(args[0])
        return math.exp(k * math.log(rate) - rate - math.lgamma(k + 1))
    if dist == 'geometric':
        p = float(args[0])
        return p * (1 - p) ** k
    if dist == 'negative_binomial':
        r, p = float(args[0]), float(args[1])
        return math.exp(math.lgamma(k + r) - math.lgamma(k + 1) - math.lgamma(r) + r * math.log(p) +
                        k * math.log1p(-p))
    raise Unsupported('distribution %r is not enumerable' % dist)


def pmf(dist, args, v):
    for value, p in support(dist, args):
        if value == v:
            return p
    return 0.0


# ---------------------------------------------------------------- enumeration

def reached(stmt, env):
    """Whether the `if`s around a statement take its branch with the values `env`."""
    return all(bool(c(env)) == polarity for c, polarity in stmt.get('guard', ()))


def same_word(a, b):
    """Whether two parameter values are the same 8-byte word (reals bit for bit); a row
    (categorical probabilities) is the same when each of its words is."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_word(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return struct.pack('<d', float(a)) == struct.pack('<d', float(b))
    return int(a) == int(b)


def downstream_of(stmts, names):
    """Names statically downstream (strict descendants) of `names`."""
    down = set()
    for s in stmts:
        if s['deps'] & (set(names) | down):
            down.add(s['name'])
    return down


def answer_worlds(models, q, evidence=None):
    """A query with named worlds (worlds.md): each world is the factual values with its
    own `do`s applied, nodes downstream recomputed and sites downstream redrawn
    (summed over their support, independently in every world), in declaration order
    (a world may read the worlds before it and `factual`)."""
    stmts = models[q['model']]
    observe, intervene = dict(q['observe']), dict(q['intervene'])
    worlds = []
    if q['do']:
        worlds.append(('counterfactual', [(n, ('value', f, set())) for n, f in
                                          ((n, (lambda v: lambda env: v)(v)) for n, v in q['do'])]))
    worlds += q['worlds']
    for _, dos in worlds:
        for _, d in dos:
            if any('.' not in x for x in d[-1]):
                raise Unsupported('a do value reading its own world')
    default = 'counterfactual' if q['do'] else 'factual'
    preds = q['predict']
    totals = {'w': 0.0, 'f': [0.0] * len(preds)}

    def qualified(envs):
        out = {}
        for wname, env in envs.items():
            for n, v in env.items():
                out[wname + '.' + n] = v
        return out

    def leaf(envs, w):
        for k, p in enumerate(preds):
            env = dict(envs[p['world'] or default])
            env.update(qualified(envs))
            totals['f'][k] += w * float(p['fn'](env))

    def world_walk(k, envs, w):
        if k == len(worlds):
            leaf(envs, w)
            return
        wname, dos = worlds[k]
        dos = dict(dos)
        down = downstream_of(stmts, dos)
        seen = qualified(envs)

        def walk(idx, env, prob):
            if idx == len(stmts):
                envs2 = dict(envs)
                envs2[wname] = env
                world_walk(k + 1, envs2, w * prob)
                return
            s = stmts[idx]
            n = s['name']
            if n in dos and dos[n][0] == 'value':
                env[n] = dos[n][1](seen)
            elif n in dos or (n in down and s['kind'] == 'site'):
                dist, args = (dos[n][1], dos[n][2]) if n in dos else (s['dist'], s['args'])
                ctx = dict(seen) if n in dos else env
                for v, p in support(dist, [a(ctx) for a in args]):
                    if p > 0.0:
                        env2 = dict(env)
                        env2[n] = v
                        walk(idx + 1, env2, prob * p)
                return
            elif n in down:
                env[n] = s['fn'](env)
            walk(idx + 1, env, prob)

        walk(0, dict(envs['factual']), 1.0)

    def fact_walk(idx, env, w):
        if w == 0.0:
            return
        if idx == len(stmts):
            if not all(c(env) for c in q['constraints']):
                return
            totals['w'] += w
            world_walk(0, {'factual': env}, w)
            return
        s = stmts[idx]
        n = s['name']
        if n in intervene:
            env[n] = intervene[n]
        elif s['kind'] == 'node':
            env[n] = s['fn'](env)
            if n in observe and env[n] != observe[n]:
                return
        elif n in observe:
            env[n] = observe[n]
            w *= pmf(s['dist'], [a(env) for a in s['args']], observe[n])
        else:
            for v, p in support(s['dist'], [a(env) for a in s['args']]):
                if p > 0.0:
                    env2 = dict(env)
                    env2[n] = v
                    fact_walk(idx + 1, env2, w * p)
            return
        fact_walk(idx + 1, env, w)

    fact_walk(0, {}, 1.0)
    if totals['w'] == 0.0:
        raise ValueError('%s: the evidence has probability 0' % q['name'])
    if evidence is not None:
        evidence[q['name']] = math.log(totals['w'])
    return [(p['label'], f / totals['w']) for p, f in zip(preds, totals['f'])]


def answer(models, q, evidence=None):
    if q.get('worlds'):
        return answer_worlds(models, q, evidence)
    stmts = models[q['model']]
    observe, intervene, do = dict(q['observe']), dict(q['intervene']), dict(q['do'])
    names = {s['name'] for s in stmts}
    for n in list(observe) + list(intervene) + list(do):
        if n not in names:
            raise SyntaxError('%s: unknown name %r' % (q['name'], n))
    counterfactual = bool(do)
    down = downstream_of(stmts, do)
    if set(intervene) & (down | set(do)):
        raise Unsupported('a factual intervention on a name the counterfactual world changes')
    preds = q['predict']
    worlds = [p['world'] or ('counterfactual' if counterfactual else 'factual') for p in preds]
    totals = {'w': 0.0, 'f': [0.0] * len(preds)}

    def leaf_cf(cf_env, fact_env, w, prob):
        for k, p in enumerate(preds):
            env = cf_env if worlds[k] == 'counterfactual' else fact_env
            totals['f'][k] += w * prob * float(p['fn'](env))

    def cf_walk(idx, env, fact_env, w, prob):
        if idx == len(stmts):
            leaf_cf(env, fact_env, w, prob)
            return
        s = stmts[idx]
        n = s['name']
        if s['kind'] == 'factor':  # weighs the factual world only
            cf_walk(idx + 1, env, fact_env, w, prob)
            return
        if n in do:
            env[n] = do[n]
        elif n in down and not reached(s, env):
            pass  # a branch the world does not take (the other branch defines the name)
        elif n in down:
            if s['kind'] == 'node':
                env[n] = s['fn'](env)
            else:
                args = [a(env) for a in s['args']]
                if reached(s, fact_env) and all(
                        same_word(x, y) for x, y in zip(args, [a(fact_env) for a in s['args']])):
                    env[n] = fact_env[n]  # consistency: unchanged inputs, unchanged outcome
                    cf_walk(idx + 1, env, fact_env, w, prob)
                    return
                for v, p in support(s['dist'], args):
                    if p > 0.0:
                        env2 = dict(env)
                        env2[n] = v
                        cf_walk(idx + 1, env2, fact_env, w, prob * p)
                return
        cf_walk(idx + 1, env, fact_env, w, prob)

    def fact_walk(idx, env, w):
        if w == 0.0:
            return
        if idx == len(stmts):
            if not all(c(env) for c in q['constraints']):
                return
            for f in q['factors']:
                w *= math.exp(f(env))
            if w == 0.0:
                return
            totals['w'] += w
            if any(wd == 'counterfactual' for wd in worlds):
                cf_walk(0, dict(env), env, w, 1.0)
            else:
                leaf_cf(env, env, w, 1.0)
            return
        s = stmts[idx]
        n = s['name']
        if not reached(s, env):
            pass  # not drawn, adds nothing to the weight
        elif s['kind'] == 'factor':
            w *= math.exp(s['fn'](env))
        elif n in intervene:
            env[n] = intervene[n]
        elif s['kind'] == 'node':
            env[n] = s['fn'](env)
            if n in observe and env[n] != observe[n]:
                return
        elif n in observe:
            env[n] = observe[n]
            w *= pmf(s['dist'], [a(env) for a in s['args']], observe[n])
        else:
            for v, p in support(s['dist'], [a(env) for a in s['args']]):
                if p > 0.0:
                    env2 = dict(env)
                    env2[n] = v
                    fact_walk(idx + 1, env2, w * p)
            return
        fact_walk(idx + 1, env, w)

    fact_walk(0, {}, 1.0)
    if totals['w'] == 0.0:
        raise ValueError('%s: the evidence has probability 0' % q['name'])
    if evidence is not None:
        evidence[q['name']] = math.log(totals['w'])  # log P(all evidence)
    return [(p['label'], f / totals['w']) for p, f in zip(preds, totals['f'])]


EXACT_RE = re.compile(r'//\s*exact:\s*(\S+)\s+(.*\S)\s+=\s+(\S+)\s*$')


def exact_lines(src):
    """[(query, label, value)] from `// exact: QUERY LABEL = VALUE` comments."""
    out = []
    for line in src.splitlines():
        m = EXACT_RE.search(line)
        if m:
            out.append((m.group(1), m.group(2), float(m.group(3))))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--check', action='store_true',
                    help="compare with each file's `// exact:` lines instead of printing")
    ap.add_argument('--log-evidence', action='store_true', help='print log P(all evidence) per query')
    ap.add_argument('--tol', type=float, default=1e-12)
    ap.add_argument('files', nargs='+')
    args = ap.parse_args()
    bad = skipped = checked = 0
    for path in args.files:
        with open(path) as f:
            src = f.read()
        try:
            CONSTS.clear()
            models, queries = Parser(src).program()
            evidence = {}
            results = {(q['name'], label): v for q in queries for label, v in answer(models, q, evidence)}
        except Unsupported as e:
            skipped += 1
            print('SKIP %s: %s' % (path, e))
            continue
        if args.log_evidence:
            for qname, v in evidence.items():
                print('%s %r' % (qname, v))
            continue
        if not args.check:
            print('%s:' % path)
            for (qname, label), v in results.items():
                print('// exact: %s %s = %r' % (qname, label, v))
            continue
        listed = exact_lines(src)
        listed_keys = {(qn, lb) for qn, lb, _ in listed}
        for key in results:
            if key not in listed_keys:
                print('NOTE %s: %s %s has no exact: line (enumerated %r)' % (path, key[0], key[1], results[key]))
        for qname, label, v in listed:
            checked += 1
            got = results.get((qname, label))
            ok = got is not None and abs(got - v) <= args.tol
            bad += not ok
            print('%s %s %s %s written %r enumerated %r' % ('PASS' if ok else 'FAIL', path, qname, label, v, got))
    if args.check:
        print('%d passed, %d failed, %d files skipped' % (checked - bad, bad, skipped))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
