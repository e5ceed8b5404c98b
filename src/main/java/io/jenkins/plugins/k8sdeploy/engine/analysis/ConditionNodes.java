package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.Condition.EvaluationException;
import java.util.List;

/**
 * How a parsed {@link Condition} evaluates: a tree of nodes, each typed (number, yes or no, or the list of values) and
 * computing its value from the values a query returned. {@code ConditionParser} builds the tree and checks the types,
 * so evaluation only fails for what the values lack (an index past the end, no values at all).
 */
final class ConditionNodes {
    private ConditionNodes() {}

    enum Type {
        NUMBER, BOOLEAN, LIST
    }

    interface Node {
        Type type();

        Object eval(List<Double> r) throws EvaluationException;
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

    static Node or(Node l, Node r) {
        return node(Type.BOOLEAN, v -> (Boolean) l.eval(v) || (Boolean) r.eval(v));
    }

    static Node and(Node l, Node r) {
        return node(Type.BOOLEAN, v -> (Boolean) l.eval(v) && (Boolean) r.eval(v));
    }

    static Node not(Node n) {
        return node(Type.BOOLEAN, v -> !(Boolean) n.eval(v));
    }

    /** {@code ==} ({@code eq}) or {@code !=} of two yes-or-no nodes. */
    static Node same(Node left, Node right, boolean eq) {
        return node(Type.BOOLEAN, v -> left.eval(v).equals(right.eval(v)) == eq);
    }

    /** A comparison of two numbers, by IEEE 754: every comparison with NaN is false except {@code !=}. */
    static Node compare(String op, Node l, Node r) {
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

    /** {@code + - * /} of two numbers. */
    static Node arithmetic(String op, Node l, Node r) {
        return switch (op) {
            case "+" -> node(Type.NUMBER, v -> (Double) l.eval(v) + (Double) r.eval(v));
            case "-" -> node(Type.NUMBER, v -> (Double) l.eval(v) - (Double) r.eval(v));
            case "*" -> node(Type.NUMBER, v -> (Double) l.eval(v) * (Double) r.eval(v));
            default -> node(Type.NUMBER, v -> (Double) l.eval(v) / (Double) r.eval(v));
        };
    }

    static Node negate(Node n) {
        return node(Type.NUMBER, v -> -(Double) n.eval(v));
    }

    static Node number(double d) {
        return node(Type.NUMBER, v -> d);
    }

    static Node bool(boolean b) {
        return node(Type.BOOLEAN, v -> b);
    }

    /** {@code result}: the values. */
    static Node result() {
        return node(Type.LIST, v -> v);
    }

    /** {@code result[index]}: an evaluation error when there is no such value. */
    static Node index(int index) {
        return node(Type.NUMBER, v -> {
            if (index >= v.size()) {
                throw new EvaluationException("result[" + index + "] does not exist: the query returned "
                        + count(v));
            }
            return v.get(index);
        });
    }

    /** {@code len}, {@code min}, {@code max}, {@code sum}, {@code avg} or {@code mean} of the values. */
    static Node aggregate(String fn) {
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

    static Node abs(Node arg) {
        return node(Type.NUMBER, v -> Math.abs((Double) arg.eval(v)));
    }

    static Node isNaN(Node arg) {
        return node(Type.BOOLEAN, v -> Double.isNaN((Double) arg.eval(v)));
    }

    /**
     * {@code all(cond)} or {@code any(cond)} ({@code fn}): {@code cond} of each value in turn; over no values an
     * evaluation error.
     */
    static Node quantifier(String fn, Node cond) {
        boolean all = fn.equals("all");
        return node(Type.BOOLEAN, v -> {
            if (v.isEmpty()) {
                throw new EvaluationException(fn + "(...) has no values to test: the query returned"
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

    /** The first of a list node's values, where a number is expected. */
    static Node first(Node list) {
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
}
