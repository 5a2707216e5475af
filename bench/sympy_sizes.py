#!/usr/bin/env python3
"""Output sizes of SymPy's simplified derivatives, for bench/sizes.js.

Reads a JSON list of problems on stdin (bench/lib/problems.js, SIZE_PROBLEMS): each has an `id`,
`defs` ([name, text] pairs inlined in order), a `target` text and `wrt` (names to differentiate
by, in turn). For each it computes simplify(diff(target, *wrt)) and prints one JSON object:

  {"sympy": version, "timeout": seconds,
   "results": [{"id", "ops", "dag", "count_ops", "method", "text", "best_ops", "best_method",
                "best_text", "seconds"} or {"id", "error"}]}

`ops` uses the counting rule of our operatorCount (src/simplify/size.ts), applied to SymPy's own
tree, which has the same canonical shapes as ours (a - b is a + (-1)*b, a/b is a*b^-1, -a is
(-1)*a, sqrt(u) is u^(1/2)):
  - a sum or product of n terms counts n - 1 (at least 1), a power counts 1,
  - a function application counts its number of arguments,
  - numbers, symbols and constants count 0,
and the counts of the children are added (shared subexpressions counted each time they occur).
`count_ops` is SymPy's own count_ops(visual=False), for reference only: it counts differently
(a - b is one SUB, a/b one DIV, -x one NEG, and a sum of n terms n - 1 ADDs).
`dag` is the number of distinct subexpressions (our dagSize).

sigmoid is a SymPy Function with the derivative sigmoid(u)*(1 - sigmoid(u)), so both sides use
the same vocabulary (SymPy knows no identities of it, as it knows none of an undefined function).
SymPy's simplify of expressions with tanh can take minutes (it tries rewriting hyperbolic
functions through exp; sheet B's gradients do not finish in 5 minutes). So simplify has a time
limit (--timeout seconds, default 2); past it the problem is simplified again with tanh, too, as
an opaque function (derivative 1 - tanh(u)^2), which takes well under a second, and `method` says
so. After one such time-out the other problems with the same definitions and target go straight
to the opaque form.

Besides `ops` of simplify, `best_ops` is the smallest count among simplify, factor and cancel
(SymPy's simplify minimises its own count_ops, not this count, and factor is sometimes shorter).
"""
import json
import re
import signal
import sys
import time

import sympy
from sympy import Add, Function, Mul, Pow, Symbol, cancel, diff, exp, factor, log, simplify, tanh
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations


class sigmoid(Function):
    """The logistic function, opaque to SymPy except for its derivative."""

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)


def _opaque_tanh_fdiff(self, argindex=1):
    return 1 - OpaqueTanh(self.args[0]) ** 2


# prints as "tanh"; SymPy knows only its derivative
OpaqueTanh = type("tanh", (Function,), {"fdiff": _opaque_tanh_fdiff})

FUNCTIONS = {"sigmoid": sigmoid, "tanh": tanh, "log": log, "exp": exp}
OPAQUE = {**FUNCTIONS, "tanh": OpaqueTanh}
TRANSFORMATIONS = standard_transformations + (convert_xor,)


def parse(text, known, functions=FUNCTIONS):
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    local = {}
    for n in names:
        if n in functions:
            local[n] = functions[n]
        elif n in known:
            local[n] = known[n]
        else:
            local[n] = Symbol(n)
    return parse_expr(text, local_dict=local, transformations=TRANSFORMATIONS)


def ops(e, memo=None):
    """Operator count with the rule of src/simplify/size.ts (tree view, memoised per node)."""
    if memo is None:
        memo = {}
    hit = memo.get(e)
    if hit is not None:
        return hit
    if not e.args:
        n = 0
    elif isinstance(e, (Add, Mul)):
        n = max(1, len(e.args) - 1)
    elif isinstance(e, Pow):
        n = 1
    elif isinstance(e, Function):
        n = len(e.args)
    else:
        raise ValueError(f"no counting rule for {type(e).__name__}: {e}")
    n += sum(ops(a, memo) for a in e.args)
    memo[e] = n
    return n


def dag(e):
    """Distinct subexpressions (SymPy expressions are structural values, like our hash-consed nodes)."""
    seen = set()
    stack = [e]
    while stack:
        x = stack.pop()
        if x in seen:
            continue
        seen.add(x)
        stack.extend(x.args)
    return len(seen)


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def with_limit(seconds, fn, *args):
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def derivative(problem, functions):
    known = {}
    for name, text in problem["defs"]:
        known[name] = parse(text, known, functions)
    d = parse(problem["target"], known, functions)
    for w in problem["wrt"]:
        d = diff(d, Symbol(w))
    return d


def main():
    timeout = 2.0
    if "--timeout" in sys.argv:
        timeout = float(sys.argv[sys.argv.index("--timeout") + 1])
    problems = json.load(sys.stdin)
    signal.signal(signal.SIGALRM, on_alarm)
    timed_out = {}  # (defs, target) -> id of the problem whose simplify timed out
    results = []
    for p in problems:
        start = time.perf_counter()
        group = json.dumps([p["defs"], p["target"]])
        try:
            d = derivative(p, FUNCTIONS)
            s = None
            method = "simplify"
            if group not in timed_out:
                try:
                    s = with_limit(timeout, simplify, d)
                except Timeout:
                    timed_out[group] = p["id"]
            if s is None:
                method = f"simplify, tanh opaque (simplify of {timed_out[group]} took > {timeout:g} s)"
                s = simplify(derivative(p, OPAQUE))
            candidates = [("simplify", s), ("factor", with_limit(10, factor, d)), ("cancel", with_limit(10, cancel, d))]
            best_method, best = min(candidates, key=lambda c: ops(c[1]))  # first of equals: simplify
            results.append({
                "id": p["id"],
                "ops": ops(s),
                "best_ops": ops(best),
                "best_method": best_method,
                "best_text": sympy.sstr(best),
                "dag": dag(s),
                "count_ops": int(sympy.count_ops(s, visual=False)),
                "method": method,
                "text": sympy.sstr(s),
                "seconds": round(time.perf_counter() - start, 3),
            })
        except Exception as err:  # report and go on: one bad problem must not hide the others
            results.append({"id": p["id"], "error": f"{type(err).__name__}: {err}"})
    json.dump({"sympy": sympy.__version__, "timeout": timeout, "results": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
