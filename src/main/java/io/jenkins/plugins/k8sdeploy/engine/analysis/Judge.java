package io.jenkins.plugins.k8sdeploy.engine.analysis;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort.Status;
import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.Direction;
import io.jenkins.plugins.k8sdeploy.engine.analysis.JudgeSpec.JudgedMetric;
import io.jenkins.plugins.k8sdeploy.engine.analysis.MetricJudgement.Classification;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * The statistical judge: compares canary samples with stable samples per metric and scores the canary, as Kayenta
 * does. Pure functions on numbers; {@link AnalysisRun} collects the samples and calls them.
 *
 * <pre>{@code
 * MetricJudgement j = Judge.classify(JudgedMetric.of("latency", "prometheus", "..."), canary, stable, 20);
 * JudgeReport r = Judge.score(spec, List.of(j), 10, true);   // r.status(), r.score(), r.message()
 * }</pre>
 *
 * <p>A metric is classified by:
 * <ol>
 *   <li>dropping NaN and infinite values; fewer than {@code minPoints} on either side is NODATA, never PASS
 *       ("canary has 7 points, stable 9; at least 20 each are needed");</li>
 *   <li>a two-sided Mann-Whitney U test (Commons Math, normal approximation): significant when
 *       {@code p < 1 - confidence};</li>
 *   <li>the effect: the Hodges-Lehmann shift (median of all pairwise canary - stable differences) divided by stable's
 *       median (or, when that is 0, stable's mean absolute value);</li>
 *   <li>HIGH when significant and the effect is above {@code +tolerance} and the direction is INCREASE or EITHER; LOW
 *       when significant and below {@code -tolerance} and the direction is DECREASE or EITHER; INCONCLUSIVE when the
 *       effect is beyond the tolerance in a bad direction but not significant (too noisy to tell: never a pass);
 *       else PASS. So a significant but small change passes, and so does any change in the harmless direction.</li>
 * </ol>
 *
 * <p>The score is {@code 100 x weight of PASS / weight of judged metrics}; NODATA and INCONCLUSIVE metrics are left
 * out, but when they carry half the weight or more, or one of them is critical, the final verdict is INCONCLUSIVE. A
 * critical metric classified HIGH or LOW makes the score 0 and fails at once. After a round that is not the last, a
 * score at or below {@code marginalScore} fails early; after the last, a score at or above {@code passScore} passes, at
 * or below marginal fails, and in between is INCONCLUSIVE (a person decides), as is too little data.
 */
public final class Judge {

    private Judge() {}

    /** Classifies one metric from the samples of both sides. */
    public static MetricJudgement classify(JudgedMetric metric, double[] canary, double[] stable, int minPoints) {
        double[] c = finite(canary);
        double[] s = finite(stable);
        if (c.length < minPoints || s.length < minPoints) {
            return new MetricJudgement(metric.name(), Classification.NODATA, metric.critical(), metric.weight(),
                    c.length, s.length, null, null, null, null, null, "canary has " + points(c.length) + ", stable "
                    + s.length + "; at least " + minPoints + " each are needed");
        }
        Median median = new Median();
        double cMed = median.evaluate(c);
        double sMed = median.evaluate(s);
        double p = new MannWhitneyUTest().mannWhitneyUTest(c, s);
        if (Double.isNaN(p)) {
            p = 1;
        }
        double shift = hodgesLehmann(c, s);
        double scale = Math.abs(sMed) > 0 ? Math.abs(sMed) : StatUtils.mean(abs(s));
        double effect = scale > 0 ? shift / scale : shift == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, shift);
        double alpha = 1 - metric.confidence();
        boolean significant = p < alpha;
        Direction d = metric.direction();
        boolean higher = effect > metric.tolerance() && d != Direction.DECREASE;
        boolean lower = effect < -metric.tolerance() && d != Direction.INCREASE;
        Classification cl = significant && higher ? Classification.HIGH
                : significant && lower ? Classification.LOW
                : higher || lower ? Classification.INCONCLUSIVE
                : Classification.PASS;
        String numbers = "median " + num(cMed) + " vs stable " + num(sMed) + ", shift " + signed(shift) + " ("
                + percent(effect) + " of stable's median, tolerance " + percent(metric.tolerance()).substring(1)
                + "), p=" + String.format(Locale.ROOT, "%.3g", p);
        String message = switch (cl) {
            case HIGH -> "canary is higher: " + numbers + " < " + num(alpha);
            case LOW -> "canary is lower: " + numbers + " < " + num(alpha);
            case INCONCLUSIVE -> "canary looks " + (higher ? "higher" : "lower") + ": " + numbers + ", but that is not"
                    + " significant at confidence " + num(metric.confidence()) + "; too noisy to tell from "
                    + c.length + " and " + s.length + " points";
            default -> {
                String why;
                if (!significant) {
                    why = "not significant at confidence " + num(metric.confidence());
                } else if (Math.abs(effect) <= metric.tolerance()) {
                    why = "within tolerance";
                } else {
                    why = (effect > 0 ? "higher" : "lower") + ", which direction " + d.name().toLowerCase(Locale.ROOT)
                            + " does not count against the canary";
                }
                yield "canary " + numbers + ": " + why;
            }
        };
        return new MetricJudgement(metric.name(), cl, metric.critical(), metric.weight(), c.length, s.length, cMed,
                sMed, shift, effect, p, message);
    }

    /**
     * Scores the classifications after a round.
     *
     * @param round rounds judged so far (1 after the first)
     * @param last true after the final round: the report then says SUCCESSFUL, FAILED or INCONCLUSIVE
     */
    public static JudgeReport score(JudgeSpec spec, List<MetricJudgement> judged, int round, boolean last) {
        double total = 0;
        double noData = 0;
        double pass = 0;
        List<String> bad = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (MetricJudgement j : judged) {
            total += j.weight();
            if (j.undecided()) {
                noData += j.weight();
                missing.add("'" + j.metric() + "'" + (j.critical() ? " (critical)" : "") + " is " + j.classification()
                        + ": " + j.message());
            } else if (j.classification() == Classification.PASS) {
                pass += j.weight();
            } else {
                bad.add("'" + j.metric() + "' is " + j.classification() + ": " + j.message());
            }
        }
        String of = "round " + round + " of " + spec.rounds();
        for (MetricJudgement j : judged) {
            if (j.critical() && j.bad()) {
                return report(spec, Status.FAILED, 0.0, round, judged, "critical metric '" + j.metric() + "' is "
                        + j.classification() + " (" + of + "): " + j.message() + "; the score is 0");
            }
        }
        Double score = total - noData > 0 ? 100 * pass / (total - noData) : null;
        boolean tooLittle = score == null || noData * 2 >= total;
        String scored = score == null ? "" : "score " + num(score) + " (" + of + ", pass " + num(spec.passScore())
                + ", marginal " + num(spec.marginalScore()) + ")";
        String details = (bad.isEmpty() ? "" : "; " + String.join("; ", bad))
                + (missing.isEmpty() ? "" : "; undecided: " + String.join("; ", missing));
        if (!last) {
            if (!tooLittle && score <= spec.marginalScore()) {
                return report(spec, Status.FAILED, score, round, judged, "interim " + scored
                        + " is at or below marginal, so the canary fails early" + details);
            }
            return report(spec, Status.RUNNING, score, round, judged, (score == null ? of + ": waiting for data"
                    : scored) + details);
        }
        if (tooLittle) {
            return report(spec, Status.INCONCLUSIVE, score, round, judged, "too little to judge the canary on"
                    + (score == null ? " (" + of + ")" : ": " + scored) + details);
        }
        for (MetricJudgement j : judged) {
            if (j.critical() && j.undecided()) {
                return report(spec, Status.INCONCLUSIVE, score, round, judged, "critical metric '" + j.metric()
                        + "' is " + j.classification() + " (" + j.message() + "); " + scored + details);
            }
        }
        if (score <= spec.marginalScore()) {
            return report(spec, Status.FAILED, score, round, judged, scored + " is at or below marginal" + details);
        }
        if (score >= spec.passScore()) {
            return report(spec, Status.SUCCESSFUL, score, round, judged, scored + " passes" + details);
        }
        return report(spec, Status.INCONCLUSIVE, score, round, judged, scored + " is above marginal but below pass;"
                + " a person decides" + details);
    }

    /** The Hodges-Lehmann estimate of the shift from {@code stable} to {@code canary}: the median of differences. */
    public static double hodgesLehmann(double[] canary, double[] stable) {
        double[] diffs = new double[canary.length * stable.length];
        int k = 0;
        for (double c : canary) {
            for (double s : stable) {
                diffs[k++] = c - s;
            }
        }
        return new Median().evaluate(diffs);
    }

    private static JudgeReport report(JudgeSpec spec, Status status, Double score, int round,
            List<MetricJudgement> judged, String message) {
        return new JudgeReport(status, score, spec.passScore(), spec.marginalScore(), round, spec.rounds(), judged,
                message);
    }

    private static double[] finite(double[] values) {
        return values == null ? new double[0] : Arrays.stream(values).filter(Double::isFinite).toArray();
    }

    private static double[] abs(double[] values) {
        return Arrays.stream(values).map(Math::abs).toArray();
    }

    private static String points(int n) {
        return n == 1 ? "1 point" : n + " points";
    }

    static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        String s = String.format(Locale.ROOT, "%.4g", d);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String signed(double d) {
        return (d >= 0 ? "+" : "") + num(d);
    }

    private static String percent(double effect) {
        if (Double.isInfinite(effect)) {
            return effect > 0 ? "+inf%" : "-inf%";
        }
        return String.format(Locale.ROOT, "%+.1f%%", effect * 100);
    }
}
