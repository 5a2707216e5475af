# The formula language of derive: one statement (programs are split into statements before
# parsing, see src/parse/statements.ts). Compiled by scripts/build-grammar.js into
# src/parse/generated/grammar.ts; never edit the generated file.
#
# Tokens come from src/parse/lexer.ts (moo); `fname` is a name directly followed by "(".
# Every list is LEFT-recursive (Earley parsing stays linear on long inputs), and the grammar
# is unambiguous: every input has at most one parse (tested).
#
# Precedence, loosest first:
#   statement   name = expr  |  f(x, y) = expr  |  expr  |  name: type  (a declaration)
#   sum         a + b, a - b                         (left-associative)
#   product     a * b, a / b, a ⊙ b, a b (implicit)   (left-associative, one level)
#   Σ           Σ_{i=1}^{n} body, ∑_i body: the body is the rest of the product, so a Σ is the
#               product's last factor (a * Σ_{i=1}^n b * c is a * Σ(b c); Σ … x - y is (Σ x) - y)
#   factor      -a                                   (-x^2 is -(x^2); a * -b is allowed)
#   power       a ^ b, a ** b                        (right-associative: 2^3^2 = 2^9; 2^-1)
#   postfix     a², a³, a⁻¹, a' and aᵀ (transpose)
#   primary     number, name, f(args), (expr), [expr], [a, b, …] (a vector or matrix literal:
#               [[1, 2], [3, 4]]), ||expr|| (a norm), d/dx(expr) (the derivative of expr)
# The right operand of an implicit product starts with a name, "(" or "[" (never a sign or a
# number): `a -b` is a subtraction, `x 2` is an error.

@preprocessor typescript

@{%
import { lexer } from "../lexer.js";
import * as S from "../syntax.js";
%}

@lexer lexer

statement   -> expr                                            {% ([e]) => S.expressionStatement(e) %}
             | %name %equals expr                              {% ([n, , e]) => S.valueDefinition(n, e) %}
             | %fname %lparen params %rparen %equals expr      {% ([n, , ps, , , e]) => S.functionDefinition(n, ps, e) %}
             | %name %colon %name                              {% ([n, , t]) => S.declaration(n, t, null) %}
             | %name %colon %fname %lparen args %rparen        {% ([n, , t, , a]) => S.declaration(n, t, a) %}

params      -> %name                                           {% ([p]) => S.cons(null, p) %}
             | params %comma %name                             {% ([ps, , p]) => S.cons(ps, p) %}

expr        -> sum                                             {% id %}

sum         -> product                                         {% id %}
             | sum addop product                               {% ([a, op, b]) => S.binaryNode(a, op, b) %}

addop       -> %plus                                           {% id %}
             | %minus                                          {% id %}

# a product may end in a Σ whose body is the rest of the product; `pproduct` is one without
product     -> pproduct                                        {% id %}
             | sigma                                           {% id %}
             | pproduct mulop sigma                            {% ([a, op, b]) => S.binaryNode(a, op, b) %}
             | pproduct usigma                                 {% ([a, b]) => S.implicitProduct(a, b) %}

pproduct    -> factor                                          {% id %}
             | pproduct mulop factor                           {% ([a, op, b]) => S.binaryNode(a, op, b) %}
             | pproduct ipower                                 {% ([a, b]) => S.implicitProduct(a, b) %}

# `-Σ…` is signed; the right operand of an implicit product is not (`a - Σ…` is a subtraction)
sigma       -> usigma                                          {% id %}
             | signs usigma                                    {% ([s, u]) => S.negateNode(s, u) %}

usigma      -> %bigsum product                                 {% ([t, body]) => S.bigSumNode(t, body) %}

mulop       -> %times                                          {% id %}
             | %divide                                         {% id %}
             | %hadamard                                       {% id %}

factor      -> power                                           {% id %}
             | signs power                                     {% ([s, p]) => S.negateNode(s, p) %}

signs       -> %minus                                          {% ([t]) => S.firstSign(t) %}
             | signs %minus                                    {% ([s]) => S.moreSigns(s) %}

# a power chain; `ipower` is the same for operands of an implicit product (no leading number)
power       -> postfix                                         {% id %}
             | power %power exponent                           {% ([b, op, e]) => S.powerNode(b, op, e) %}

ipower      -> ipostfix                                        {% id %}
             | ipower %power exponent                          {% ([b, op, e]) => S.powerNode(b, op, e) %}

exponent    -> postfix                                         {% ([p]) => S.plainExponent(p) %}
             | signs postfix                                   {% ([s, p]) => S.signedExponent(s, p) %}

postfix     -> primary                                         {% id %}
             | postfix %sup                                    {% ([b, t]) => S.superscriptNode(b, t) %}
             | postfix %transpose                              {% ([b, t]) => S.transposeNode(b, t) %}

ipostfix    -> iprimary                                        {% id %}
             | ipostfix %sup                                   {% ([b, t]) => S.superscriptNode(b, t) %}
             | ipostfix %transpose                             {% ([b, t]) => S.transposeNode(b, t) %}

primary     -> %number                                         {% ([t]) => S.numberNode(t) %}
             | iprimary                                        {% id %}

iprimary    -> %name                                           {% ([t]) => S.nameNode(t) %}
             | %fname %lparen args %rparen                     {% ([f, , a, c]) => S.applyNode(f, a, c) %}
             | %lparen expr %rparen                            {% ([o, e]) => S.groupNode(o, e) %}
             | %deriv %lparen expr %rparen                     {% ([d, , e]) => S.derivNode(d, e) %}
             | %lbracket args %rbracket                        {% ([o, a, c]) => S.bracketNode(o, a, c) %}
             | %norm expr %norm                                {% ([o, e]) => S.normNode(o, e) %}

args        -> expr                                            {% ([e]) => S.cons(null, e) %}
             | args %comma expr                                {% ([a, , e]) => S.cons(a, e) %}
