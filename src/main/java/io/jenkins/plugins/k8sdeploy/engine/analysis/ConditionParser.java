package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.ConditionNodes.Node;
import io.jenkins.plugins.k8sdeploy.engine.analysis.ConditionNodes.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@link Condition}'s text into a tree of {@link ConditionNodes}: the tokens, the grammar below and the types
 * (a number, a yes or no, or the list of values), so that every mistake is found before anything is evaluated.
 *
 * <pre>
 * or    := and (('||' | 'or') and)*
 * and   := not (('&amp;&amp;' | 'and') not)*
 * not   := ('!' | 'not') not | cmp
 * cmp   := sum (('&lt;' | '&lt;=' | '&gt;' | '&gt;=' | '==' | '!=') sum)?
 * sum   := prod (('+' | '-') prod)*
 * prod  := unary (('*' | '/') unary)*
 * unary := '-' unary | atom
 * atom  := NUMBER | true | false | result ('[' INT ']')? | FUNC '(' args ')' | '(' or ')'
 * </pre>
 */
final class ConditionParser {
    /** A condition that is not valid; the message says where and what was expected. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    private record Token(String text, int pos, boolean number) {}

    private final String source;
    private final List<Token> tokens;
    private int i;

    private ConditionParser(String source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    /** The condition's tree, a yes or no. */
    static Node compile(String source) throws Invalid {
        ConditionParser p = new ConditionParser(source, tokens(source));
        Node n = p.or();
        if (p.i < p.tokens.size()) {
            throw p.unexpected("an operator (&&, ||, <, ==, ...) or the end");
        }
        if (n.type() == Type.LIST) {
            n = ConditionNodes.first(n);
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

    private boolean at(String... texts) {
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

    private Invalid unexpected(String expected) {
        if (i >= tokens.size()) {
            return new Invalid("the condition ends where " + expected + " was expected (after '" + source + "')");
        }
        Token t = tokens.get(i);
        return new Invalid("'" + t.text() + "' at position " + (t.pos() + 1) + " was not expected; expected "
                + expected);
    }

    private void expect(String text) throws Invalid {
        if (!at(text)) {
            throw unexpected("'" + text + "'");
        }
        i++;
    }

    private Node or() throws Invalid {
        Node left = and();
        while (at("||", "or")) {
            String op = tokens.get(i++).text();
            Node l = bool(left, op);
            Node r = bool(and(), op);
            left = ConditionNodes.or(l, r);
        }
        return left;
    }

    private Node and() throws Invalid {
        Node left = not();
        while (at("&&", "and")) {
            String op = tokens.get(i++).text();
            Node l = bool(left, op);
            Node r = bool(not(), op);
            left = ConditionNodes.and(l, r);
        }
        return left;
    }

    private Node not() throws Invalid {
        if (at("!", "not")) {
            String op = tokens.get(i++).text();
            return ConditionNodes.not(bool(not(), op));
        }
        return cmp();
    }

    private Node cmp() throws Invalid {
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
            return ConditionNodes.same(left, right, op.equals("=="));
        }
        return ConditionNodes.compare(op, num(left, op), num(right, op));
    }

    private Node sum() throws Invalid {
        Node left = prod();
        while (at("+", "-")) {
            String op = tokens.get(i++).text();
            Node l = num(left, op);
            Node r = num(prod(), op);
            left = ConditionNodes.arithmetic(op, l, r);
        }
        return left;
    }

    private Node prod() throws Invalid {
        Node left = unary();
        while (at("*", "/")) {
            String op = tokens.get(i++).text();
            Node l = num(left, op);
            Node r = num(unary(), op);
            left = ConditionNodes.arithmetic(op, l, r);
        }
        return left;
    }

    private Node unary() throws Invalid {
        if (at("-")) {
            i++;
            return ConditionNodes.negate(num(unary(), "-"));
        }
        return atom();
    }

    private Node atom() throws Invalid {
        String expected = "a number, result, result[i], a function such as len(result), or '('";
        if (i >= tokens.size()) {
            throw unexpected(expected);
        }
        Token t = tokens.get(i);
        if (t.number()) {
            i++;
            return ConditionNodes.number(Double.parseDouble(t.text()));
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
                return ConditionNodes.bool(Boolean.parseBoolean(t.text()));
            }
            case "result" -> {
                i++;
                if (!at("[")) {
                    return ConditionNodes.result();
                }
                i++;
                if (i >= tokens.size() || !tokens.get(i).number() || !tokens.get(i).text().matches("\\d+")) {
                    throw unexpected("an index (0, 1, 2, ...)");
                }
                int index = Integer.parseInt(tokens.get(i++).text());
                expect("]");
                return ConditionNodes.index(index);
            }
            case "len", "min", "max", "sum", "avg", "mean" -> {
                i++;
                expect("(");
                Node arg = or();
                if (arg.type() != Type.LIST) {
                    throw new Invalid(t.text() + "(...) at position " + (t.pos() + 1) + " takes result");
                }
                expect(")");
                return ConditionNodes.aggregate(t.text());
            }
            case "abs", "isNaN" -> {
                i++;
                expect("(");
                Node arg = num(or(), t.text());
                expect(")");
                return t.text().equals("abs") ? ConditionNodes.abs(arg) : ConditionNodes.isNaN(arg);
            }
            case "all", "any" -> {
                i++;
                expect("(");
                Node cond = bool(or(), t.text());
                expect(")");
                return ConditionNodes.quantifier(t.text(), cond);
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
            return ConditionNodes.first(n);
        }
        if (n.type() != Type.NUMBER) {
            throw new Invalid("'" + op + "' needs a number, but was given a yes or no");
        }
        return n;
    }
}
