# LaTeX math as students write it on exercise sheets: one side of a claim (claims are split at
# "=" and rows at "\\" before parsing, see src/verify/latex/document.ts). Compiled by
# scripts/build-grammar.js into src/verify/latex/generated/grammar.ts; never edit the output.
#
# Tokens come from src/verify/latex/lexer.ts, which already normalised the many spellings
# (\left( is "(", \cdot is "*", \dfrac is \frac) and packed \frac{d}{dx} (dop),
# \frac{\partial L}{\partial w} (leib) and \sum_{i=1}^{n} (sumop) into single tokens.
#
# Precedence, loosest first:
#   sum        a + b, a - b, -a
#   product    a \cdot b, a / b, a b (implicit); \frac{d}{dx} and \sum take the rest of the product
#   factor     a^{b}
#   postfix    \sigma(x), \tanh^2(x), \sigma'(x), \log x
#   primary    number, name with subscript, (…), [...], {…}, |…|, \frac{a}{b}, \sqrt{x}, f(a, b), f'(x),
#              tuples (a, b) and [a, b], matrices [[a, b], [c, d]] and pmatrix/bmatrix, \nabla f(a, b)

@preprocessor typescript

@{%
import { lexer } from "../lexer.js";
import * as S from "../syntax.js";
%}

@lexer lexer

side      -> sum                                   {% id %}

sum       -> product                               {% id %}
           | %minus product                        {% ([, p]) => S.negate(p) %}
           | %plus product                         {% ([, p]) => p %}
           | sum %plus product                     {% ([a, , b]) => S.binary("+", a, b) %}
           | sum %minus product                    {% ([a, , b]) => S.binary("-", a, b) %}

product   -> plain                                 {% id %}
           | prefixed                              {% id %}
           | plain prefixed                        {% ([a, b]) => S.binary("implicit", a, b) %}
           | plain %mul prefixed                   {% ([a, , b]) => S.binary("*", a, b) %}

prefixed  -> %dop product                          {% ([d, b]) => S.dop(d, b) %}
           | %sumop product                        {% ([s, b]) => S.sum(s, b) %}

plain     -> factor                                {% id %}
           | plain %mul factor                     {% ([a, , b]) => S.binary("*", a, b) %}
           | plain %mul %minus factor              {% ([a, , , b]) => S.binary("*", a, S.negate(b)) %}
           | plain %slash factor                   {% ([a, , b]) => S.binary("/", a, b) %}
           | plain factor                          {% ([a, b]) => S.binary("implicit", a, b) %}

factor    -> postfix                               {% id %}
           | postfix %caret sup                    {% ([b, , e]) => S.power(b, e) %}

sup       -> %lbrace sum %rbrace                   {% ([, e]) => e %}
           | %number                               {% ([n]) => S.number(n) %}
           | %name                                 {% ([n]) => S.name(n) %}
           | %top                                  {% () => S.transpose %}
           | %lbrace %top %rbrace                  {% () => S.transpose %}

postfix   -> primary                               {% id %}
           | %func fnpow:? prime:? fnarg           {% ([f, p, pr, a]) => S.call(f, a, p, pr) %}

fnpow     -> %caret sup                            {% ([, e]) => e %}
prime     -> %prime                                {% id %}
fnarg     -> %lparen sum %rparen                   {% ([, e]) => e %}
           | %lbrack sum %rbrack                   {% ([, e]) => e %}
           | %lbrace sum %rbrace                   {% ([, e]) => e %}
           | name                                  {% id %}
           | %number                               {% ([n]) => S.number(n) %}

primary   -> %number                               {% ([n]) => S.number(n) %}
           | name                                  {% id %}
           | name %lparen args %rparen             {% ([n, , as]) => S.apply(n, as) %}
           | name %prime %lparen sum %rparen       {% ([n, , , a]) => S.derivedApply(n, a) %}
           | %lparen sum %rparen                   {% ([, e]) => S.group(e) %}
           | %lbrack sum %rbrack                   {% ([, e]) => S.group(e, "[") %}
           | %lparen args %rparen                  {% ([, as]) => S.list("(", as) %}
           | %lbrack args %rbrack                  {% ([, as]) => S.list("[", as) %}
           | %matbegin mrows %matend               {% ([b, rs]) => S.matrix(b, rs) %}
           | %matbegin mrows %rowbreak %matend     {% ([b, rs]) => S.matrix(b, rs) %}
           | %nabla                                {% ([t]) => S.nabla(t) %}
           | %lbrace sum %rbrace                   {% ([, e]) => S.group(e) %}
           | %bar sum %bar                         {% ([, e]) => S.abs(e) %}
           | %frac arg arg                         {% ([, a, b]) => S.frac(a, b) %}
           | %sqrt arg                             {% ([, a]) => S.sqrt(a, null) %}
           | %sqrt %lbrack sum %rbrack arg         {% ([, , i, , a]) => S.sqrt(a, i) %}
           | %leib                                 {% ([l]) => S.leib(l) %}

args      -> sum %comma sum                        {% ([a, , b]) => [a, b] %}
           | args %comma sum                       {% ([as, , b]) => [...as, b] %}

mrows     -> mrow                                  {% ([r]) => [r] %}
           | mrows %rowbreak mrow                  {% ([rs, , r]) => [...rs, r] %}

mrow      -> sum                                   {% ([e]) => [e] %}
           | mrow %amp sum                         {% ([es, , e]) => [...es, e] %}

arg       -> %lbrace sum %rbrace                   {% ([, e]) => e %}
           | %number                               {% ([n]) => S.number(n) %}
           | %name                                 {% ([n]) => S.name(n) %}

name      -> %name                                 {% ([n]) => S.name(n) %}
           | %name %underscore subscript           {% ([n, , s]) => S.subscripted(n, s) %}

subscript -> %lbrace subparts %rbrace              {% ([, s]) => s %}
           | %number                               {% ([n]) => [[n]] %}
           | %name                                 {% ([n]) => [[n]] %}

subparts  -> subpart                               {% ([p]) => [p] %}
           | subparts %comma subpart               {% ([ps, , p]) => [...ps, p] %}

subpart   -> subtoken                              {% ([t]) => [t] %}
           | subpart subtoken                      {% ([ts, t]) => [...ts, t] %}

subtoken  -> %number                               {% id %}
           | %name                                 {% id %}
