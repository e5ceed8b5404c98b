package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A success or failure condition over the values one query returned, such as {@code result < 0.05} or
 * {@code len(result) > 0 && all(result < 500)}. Parsed by a small grammar of its own, never by a script engine, so a
 * condition can compute nothing but a yes or no from the values; every mistake is reported when the analysis is
 * configured, before a canary starts.
 *
 * <pre>{@code
 * Condition c = Condition.parse("result[0] >= 0.99 && result[0] <= 1");
 * c.test(List.of(0.995));   // true
 * }</pre>
 *
 * <p>The language:
 * <ul>
 *   <li>numbers ({@code 0.05}, {@code 1e-3}), {@code true}, {@code false}, {@code + - * /} and parentheses;</li>
 *   <li>{@code result}: the values; where a number is expected it means the first value, {@code result[i]} the
 *       i-th (from 0); reading a value that is not there is an evaluation error, never a silent zero;</li>
 *   <li>{@code len(result)}, {@code min(result)}, {@code max(result)}, {@code sum(result)}, {@code avg(result)},
 *       {@code abs(x)}, {@code isNaN(x)};</li>
 *   <li>{@code all(COND)} and {@code any(COND)}: COND holds for every (some) value, {@code result} standing for each
 *       value in turn, e.g. {@code all(result < 0.05)}; over no values both are evaluation errors, because neither
 *       "all of nothing" nor "none of nothing" says anything about the canary;</li>
 *   <li>{@code < <= > >= == !=}, {@code && || !} (or {@code and or not}).</li>
 * </ul>
 * Comparisons follow IEEE 754: every comparison with NaN is false except {@code !=}; test for it with
 * {@code isNaN(result)}.
 */
public final class Condition implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private transient Node root;

    private Condition(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /**
     * Reads a condition.
     *
     * @throws DeployException saying where and what was expected, e.g. {@code condition 'result <' is not valid:
     *     the condition ends where a value was expected (after 'result <')}
     */
    public static Condition parse(String source) throws DeployException {
        if (source == null || source.isBlank()) {
            throw new DeployException("A condition is empty; write one such as 'result < 0.05'.");
        }
        try {
            return new Condition(source.strip(), compile(source.strip()));
        } catch (Invalid e) {
            throw new DeployException("condition '" + source.strip() + "' is not valid: " + e.getMessage());
        }
    }

    /** The condition as written. */
    public String source() {
        return source;
    }

    /**
     * Evaluates the condition on the values a query returned.
     *
     * @throws EvaluationException when the condition reads something the values do not have (e.g. {@code result[1]}
     *     of one value, {@code result} of none)
     */
    public boolean test(List<Double> result) throws EvaluationException {
        if (root == null) {
            try {
                root = compile(source);
            } catch (Invalid e) {
                throw new IllegalStateException("condition '" + source + "' was valid when it was parsed", e);
            }
        }
        return (Boolean) root.eval(List.copyOf(result));
    }

    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Condition c && c.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    /** A condition could not be evaluated on these values; the measurement is an error, not a verdict. */
    public static final class EvaluationException extends Exception {
        private static final long serialVersionUID = 1L;

        EvaluationException(String message) {
            super(message);
        }
    }

    // ---- the grammar ----------------------------------------------------------------------------------------------
    // or    := and (('||' | 'or') and)*
    // and   := not (('&&' | 'and') not)*
    // not   := ('!' | 'not') not | cmp
    // cmp   := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)?
    // sum   := prod (('+' | '-') prod)*
    // prod  := unary (('*' | '/') unary)*
    // unary := '-' unary | atom
    // atom  := NUMBER | true | false | result ('[' INT ']')? | FUNC '(' args ')' | '(' or ')'

    private enum Type {
        NUMBER, BOOLEAN, LIST
    }

    private interface Node {
        Type type();

        Object eval(List<Double> r) throws EvaluationException;
    }

    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    private record Token(String text, int pos, boolean number) {}

    private static Node compile(String source) throws Invalid {
        Parser p = new Parser(source, tokens(source));
        Node n = p.or();
        if (p.i < p.tokens.size()) {
            throw p.unexpected("an operator (&&, ||, <, ==, ...) or the end");
        }
        if (n.type() == Type.LIST) {
            n = first(n);
        }
        if (n.type() != Type.BOOLEAN) {
            throw new Invalid("it computes a number, not a yes or no; compare it with something, e.g. '"
                    + source + " < 1'");
        }
        return n;
    }

    private static List<Token> tokens(String s) throws Invalid {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isDigit(c) || c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                    int j = i + 1;
                    if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                        j++;
                    }
                    if (j < s.length() && Character.isDigit(s.charAt(j))) {
                        i = j;
                        while (i < s.length() && Character.isDigit(s.charAt(i))) {
                            i++;
                        }
                    }
                }
                String text = s.substring(start, i);
                try {
                    Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new Invalid("'" + text + "' at position " + (start + 1) + " is not a number");
                }
                out.add(new Token(text, start, true));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(s.substring(start, i), start, false));
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (List.of("<=", ">=", "==", "!=", "&&", "||").contains(two)) {
                    out.add(new Token(two, i, false));
                    i += 2;
                } else if ("<>!()[],+-*/".indexOf(c) >= 0) {
                    out.add(new Token(String.valueOf(c), i, false));
                    i++;
                } else if (c == '=' || c == '&' || c == '|') {
                    throw new Invalid("'" + c + "' at position " + (i + 1) + " is not an operator; write '" + c + c
                            + "'");
                } else {
                    throw new Invalid("'" + c + "' at position " + (i + 1) + " is not part of the language (numbers,"
                            + " result, result[i], len, min, max, sum, avg, abs, isNaN, all, any, comparisons, &&, ||,"
                            + " !, parentheses)");
                }
            }
        }
        return out;
    }

    private static final class Parser {
        final String source;
        final List<Token> tokens;
        int i;

        Parser(String source, List<Token> tokens) {
            this.source = source;
            this.tokens = tokens;
        }

        boolean at(String... texts) {
            if (i >= tokens.size()) {
                return false;
            }
            for (String t : texts) {
                if (!tokens.get(i).number() && tokens.get(i).text().equals(t)) {
                    return true;
                }
            }
            return false;
        }

        Invalid unexpected(String expected) {
            if (i >= tokens.size()) {
                return new Invalid("the condition ends where " + expected + " was expected (after '" + source + "')");
            }
            Token t = tokens.get(i);
            return new Invalid("'" + t.text() + "' at position " + (t.pos() + 1) + " was not expected; expected "
                    + expected);
        }

        void expect(String text) throws Invalid {
            if (!at(text)) {
                throw unexpected("'" + text + "'");
            }
            i++;
        }

        Node or() throws Invalid {
            Node left = and();
            while (at("||", "or")) {
                String op = tokens.get(i++).text();
                Node l = bool(left, op);
                Node r = bool(and(), op);
                left = node(Type.BOOLEAN, v -> (Boolean) l.eval(v) || (Boolean) r.eval(v));
            }
            return left;
        }

        Node and() throws Invalid {
            Node left = not();
            while (at("&&", "and")) {
                String op = tokens.get(i++).text();
                Node l = bool(left, op);
                Node r = bool(not(), op);
                left = node(Type.BOOLEAN, v -> (Boolean) l.eval(v) && (Boolean) r.eval(v));
            }
            return left;
        }

        Node not() throws Invalid {
            if (at("!", "not")) {
                String op = tokens.get(i++).text();
                Node n = bool(not(), op);
                return node(Type.BOOLEAN, v -> !(Boolean) n.eval(v));
            }
            return cmp();
        }

        Node cmp() throws Invalid {
            Node left = sum();
            if (!at("<", "<=", ">", ">=", "==", "!=")) {
                return left;
            }
            Token opToken = tokens.get(i++);
            String op = opToken.text();
            Node right = sum();
            if (at("<", "<=", ">", ">=", "==", "!=")) {
                throw new Invalid("'" + tokens.get(i).text() + "' at position " + (tokens.get(i).pos() + 1)
                        + " chains comparisons; join them with &&, e.g. 'result >= 0.99 && result <= 1'");
            }
            Type lt = left.type() == Type.LIST ? Type.NUMBER : left.type();
            Type rt = right.type() == Type.LIST ? Type.NUMBER : right.type();
            if (lt != rt || lt == Type.BOOLEAN && !op.equals("==") && !op.equals("!=")) {
                throw new Invalid("'" + op + "' at position " + (opToken.pos() + 1) + " compares "
                        + lt.name().toLowerCase(Locale.ROOT) + " with " + rt.name().toLowerCase(Locale.ROOT));
            }
            if (lt == Type.BOOLEAN) {
                boolean eq = op.equals("==");
                return node(Type.BOOLEAN, v -> left.eval(v).equals(right.eval(v)) == eq);
            }
            Node l = num(left, op);
            Node r = num(right, op);
            return node(Type.BOOLEAN, v -> {
                double a = (Double) l.eval(v);
                double b = (Double) r.eval(v);
                return switch (op) {
                    case "<" -> a < b;
                    case "<=" -> a <= b;
                    case ">" -> a > b;
                    case ">=" -> a >= b;
                    case "==" -> a == b;
                    default -> a != b;
                };
            });
        }

        Node sum() throws Invalid {
            Node left = prod();
            while (at("+", "-")) {
                String op = tokens.get(i++).text();
                Node l = num(left, op);
                Node r = num(prod(), op);
                left = node(Type.NUMBER, v -> op.equals("+") ? (Double) l.eval(v) + (Double) r.eval(v)
                        : (Double) l.eval(v) - (Double) r.eval(v));
            }
            return left;
        }

        Node prod() throws Invalid {
            Node left = unary();
            while (at("*", "/")) {
                String op = tokens.get(i++).text();
                Node l = num(left, op);
                Node r = num(unary(), op);
                left = node(Type.NUMBER, v -> op.equals("*") ? (Double) l.eval(v) * (Double) r.eval(v)
                        : (Double) l.eval(v) / (Double) r.eval(v));
            }
            return left;
        }

        Node unary() throws Invalid {
            if (at("-")) {
                i++;
                Node n = num(unary(), "-");
                return node(Type.NUMBER, v -> -(Double) n.eval(v));
            }
            return atom();
        }

        Node atom() throws Invalid {
            String expected = "a number, result, result[i], a function such as len(result), or '('";
            if (i >= tokens.size()) {
                throw unexpected(expected);
            }
            Token t = tokens.get(i);
            if (t.number()) {
                i++;
                double d = Double.parseDouble(t.text());
                return node(Type.NUMBER, v -> d);
            }
            if (at("(")) {
                i++;
                Node n = or();
                expect(")");
                return n;
            }
            switch (t.text()) {
                case "true", "false" -> {
                    i++;
                    boolean b = Boolean.parseBoolean(t.text());
                    return node(Type.BOOLEAN, v -> b);
                }
                case "result" -> {
                    i++;
                    if (!at("[")) {
                        return node(Type.LIST, v -> v);
                    }
                    i++;
                    if (i >= tokens.size() || !tokens.get(i).number() || !tokens.get(i).text().matches("\\d+")) {
                        throw unexpected("an index (0, 1, 2, ...)");
                    }
                    int index = Integer.parseInt(tokens.get(i++).text());
                    expect("]");
                    return node(Type.NUMBER, v -> {
                        if (index >= v.size()) {
                            throw new EvaluationException("result[" + index + "] does not exist: the query returned "
                                    + count(v));
                        }
                        return v.get(index);
                    });
                }
                case "len", "min", "max", "sum", "avg", "mean" -> {
                    i++;
                    expect("(");
                    Node arg = or();
                    if (arg.type() != Type.LIST) {
                        throw new Invalid(t.text() + "(...) at position " + (t.pos() + 1) + " takes result");
                    }
                    expect(")");
                    return aggregate(t.text());
                }
                case "abs", "isNaN" -> {
                    i++;
                    expect("(");
                    Node arg = num(or(), t.text());
                    expect(")");
                    return t.text().equals("abs") ? node(Type.NUMBER, v -> Math.abs((Double) arg.eval(v)))
                            : node(Type.BOOLEAN, v -> Double.isNaN((Double) arg.eval(v)));
                }
                case "all", "any" -> {
                    i++;
                    expect("(");
                    Node cond = bool(or(), t.text());
                    expect(")");
                    boolean all = t.text().equals("all");
                    return node(Type.BOOLEAN, v -> {
                        if (v.isEmpty()) {
                            throw new EvaluationException(t.text() + "(...) has no values to test: the query returned"
                                    + " no values");
                        }
                        for (Double d : v) {
                            boolean b = (Boolean) cond.eval(List.of(d));
                            if (b != all) {
                                return !all;
                            }
                        }
                        return all;
                    });
                }
                default -> {
                    if (Character.isLetter(t.text().charAt(0)) && !List.of("and", "or", "not").contains(t.text())) {
                        throw new Invalid("'" + t.text() + "' at position " + (t.pos() + 1) + " is not known; the"
                                + " names are result, true, false, len, min, max, sum, avg, abs, isNaN, all, any");
                    }
                    throw unexpected(expected);
                }
            }
        }

        private static Node aggregate(String fn) {
            return node(Type.NUMBER, v -> {
                if (fn.equals("len")) {
                    return (double) v.size();
                }
                if (v.isEmpty()) {
                    throw new EvaluationException(fn + "(result) has no values: the query returned no values");
                }
                double acc = fn.equals("min") ? Double.POSITIVE_INFINITY
                        : fn.equals("max") ? Double.NEGATIVE_INFINITY : 0;
                for (double d : v) {
                    acc = switch (fn) {
                        case "min" -> Math.min(acc, d);
                        case "max" -> Math.max(acc, d);
                        default -> acc + d;
                    };
                }
                return fn.equals("avg") || fn.equals("mean") ? acc / v.size() : acc;
            });
        }

        private Node bool(Node n, String op) throws Invalid {
            if (n.type() == Type.LIST) {
                throw new Invalid("'" + op + "' needs a yes or no, and result is a list of numbers; compare it, e.g."
                        + " 'result < 1' or 'all(result < 1)'");
            }
            if (n.type() != Type.BOOLEAN) {
                throw new Invalid("'" + op + "' needs a yes or no, but was given a number; compare it with something");
            }
            return n;
        }

        private Node num(Node n, String op) throws Invalid {
            if (n.type() == Type.LIST) {
                return first(n);
            }
            if (n.type() != Type.NUMBER) {
                throw new Invalid("'" + op + "' needs a number, but was given a yes or no");
            }
            return n;
        }
    }

    private static Node first(Node list) {
        return node(Type.NUMBER, v -> {
            @SuppressWarnings("unchecked")
            List<Double> values = (List<Double>) list.eval(v);
            if (values.isEmpty()) {
                throw new EvaluationException("result has no first value: the query returned no values");
            }
            return values.get(0);
        });
    }

    private static String count(List<Double> v) {
        return v.size() == 1 ? "1 value" : v.size() + " values";
    }

    private interface Eval {
        Object eval(List<Double> r) throws EvaluationException;
    }

    private static Node node(Type type, Eval eval) {
        return new Node() {
            @Override
            public Type type() {
                return type;
            }

            @Override
            public Object eval(List<Double> r) throws EvaluationException {
                return eval.eval(r);
            }
        };
    }
}
