package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.record.RecordJson;
import io.jenkins.plugins.k8sdeploy.engine.report.AnalysisReports;
import io.jenkins.plugins.k8sdeploy.engine.report.HtmlEscaper;
import io.jenkins.plugins.k8sdeploy.engine.report.HtmlReport;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportModel;
import io.jenkins.plugins.k8sdeploy.engine.report.ReportSection;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * One rollout of a build as the build page, its own page and the REST API show it: the record's summary from the same
 * {@link ReportModel} the HTML report uses, the report's section as text for the page, and the record's parts as plain
 * maps for {@code api/json}. No Jenkins type, so it is tested without Jenkins.
 *
 * <p>Every getter returns record text as it is, never HTML: the Jelly pages escape it.
 *
 * <pre>{@code
 * GET /job/web/12/api/json?tree=actions[rollouts[number,app,outcome,strategy,events[type,weight,at]]]
 * }</pre>
 */
@ExportedBean(defaultVisibility = 2)
public final class RolloutView {
    private final int number;
    private final DeployRecord record;
    private volatile ReportModel.Rollout model;
    private volatile Map<String, Object> map;

    RolloutView(int number, DeployRecord record) {
        this.number = number;
        this.record = record;
    }

    DeployRecord record() {
        return record;
    }

    /** The report model of this rollout, its analyses (measurements, judge scores, series) included. */
    ReportModel.Rollout model() {
        ReportModel.Rollout m = model;
        if (m == null) {
            m = AnalysisReports.rollout(record, Map.of());
            model = m;
        }
        return m;
    }

    private ReportModel.Summary summary() {
        return model().summary();
    }

    /** 1 for the build's first rollout; the page is {@code k8s-rollouts/<number>/}. */
    @Exported
    public int getNumber() {
        return number;
    }

    @Exported
    public String getServer() {
        return summary().server();
    }

    @Exported
    public String getNamespace() {
        return summary().namespace();
    }

    /** The canary or blue-green app; for a rolling deploy its workloads ("Deployment/web, StatefulSet/db"). */
    @Exported
    public String getApp() {
        return summary().app();
    }

    @Exported
    public String getStrategy() {
        return summary().strategy();
    }

    @Exported
    public String getOutcome() {
        return summary().outcome();
    }

    @Exported
    public List<String> getFromImages() {
        return summary().fromImages();
    }

    @Exported
    public List<String> getToImages() {
        return summary().toImages();
    }

    /** ISO 8601, UTC. */
    @Exported
    public String getStarted() {
        return iso(summary().started());
    }

    @Exported
    public String getFinished() {
        return iso(summary().finished());
    }

    @Exported
    public long getDurationMillis() {
        return summary().durationMillis();
    }

    @Exported
    public String getFailure() {
        return record.failure();
    }

    /** Every weight change, pause, approval, analysis, promotion, abort and switch: type, weight, detail, time. */
    @Exported
    public List<?> getEvents() {
        return list("events");
    }

    /** Each analysis: verdict, metrics, the judge's report, every measurement (query, values, verdict, time). */
    @Exported(visibility = 1)
    public List<?> getAnalyses() {
        return list("analyses");
    }

    @Exported(visibility = 1)
    public List<?> getTimeline() {
        return list("timeline");
    }

    @Exported(visibility = 1)
    public List<?> getWorkloads() {
        return list("workloads");
    }

    @Exported(visibility = 1)
    public List<?> getObjects() {
        return list("objects");
    }

    @Exported(visibility = 1)
    public List<?> getRollbacks() {
        return list("rollbacks");
    }

    @Exported(visibility = 1)
    public long getApiRequests() {
        return record.apiRequests();
    }

    // --- for the pages ---

    /** "Rollout 2: web (canary)". */
    public String getDisplayName() {
        return "Rollout " + number + ": " + (getApp() == null || getApp().isBlank() ? "deploy" : getApp()) + " ("
                + getStrategy() + ")";
    }

    /** "web:1.4.2 → web:1.5.0"; just the new images when there were none before. */
    public String getVersion() {
        String to = String.join(", ", getToImages());
        return getFromImages().isEmpty() ? to : String.join(", ", getFromImages()) + " \u2192 " + to;
    }

    /** "5m 30s". */
    public String getDuration() {
        return HtmlReport.duration(Duration.ofMillis(getDurationMillis()));
    }

    /** A CSS class for the outcome (letters, digits, '-' and '_' only, whatever the record says). */
    public String getOutcomeClass() {
        return "outcome-" + HtmlEscaper.token(getOutcome());
    }

    /**
     * The rollout as the HTML report shows it (summary, weight chart, approvals, aborts and rollbacks, analyses with
     * their measurements and judge scores, timeline), as text ready to show: the rollout's page renders it with Jelly,
     * which escapes every value, in the same markup as the standalone report.
     */
    public ReportSection getSection() {
        return ReportSection.of(model(), number);
    }

    private List<?> list(String key) {
        Map<String, Object> m = map;
        if (m == null) {
            m = jsonSafe(RecordJson.toMap(record));
            map = m;
        }
        Object v = m.get(key);
        return v instanceof List<?> l ? l : List.of();
    }

    /**
     * The map with non-finite numbers (a Prometheus query over no traffic returns NaN) as strings, as RecordJson
     * writes them: Stapler would write them as bare NaN, which is not JSON.
     */
    @SuppressWarnings("unchecked")
    static <T> T jsonSafe(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, jsonSafe(v)));
            return (T) copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(jsonSafe(v)));
            return (T) copy;
        }
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            return (T) value.toString();
        }
        return value;
    }

    private static String iso(Instant at) {
        return at == null ? null : DateTimeFormatter.ISO_INSTANT.format(at);
    }
}
