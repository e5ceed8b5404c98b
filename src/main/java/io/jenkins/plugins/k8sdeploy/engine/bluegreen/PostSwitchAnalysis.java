package io.jenkins.plugins.k8sdeploy.engine.bluegreen;

import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisRecord;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisFailed;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisInconclusive;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisPassed;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.AnalysisRunning;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.CarryOutAnswer;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.StartAnalysis;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.SwitchedBackMeanwhile;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenDecision.WaitForApproval;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Approval;
import io.jenkins.plugins.k8sdeploy.engine.traffic.CanaryServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The post-switch analysis and the approval an inconclusive one waits for, over one rollout: which analysis, its run,
 * the finished runs' records, and a person's answer until the next tick carries it out. One concern on its own, so
 * that it can later give way to the approval gate and analysis step the strategies share.
 *
 * <p>{@link #decide} is pure: what the analysis phase does next, from the active colour and the verdict observed.
 */
final class PostSwitchAnalysis {
    /** The analysis to run after the switch; {@code null} for none. */
    String name;
    /** The analyses it may name; not kept: set again after the state was read back ({@link #attach}). */
    private AnalysisPort port;
    AnalysisPort.Run run;
    final List<AnalysisRecord> finished = new ArrayList<>();
    /** An inconclusive analysis waits for a person since then; {@code null} when nothing waits. */
    Instant approvalSince;
    String approvalMessage;
    /** A person's answer, carried out at the next tick: true proceeds, false switches back. */
    Boolean answer;
    String answerReason;

    /** Gives the analyses to look the name up in, and a run read back from disk its providers again. */
    void attach(AnalysisPort analyses) {
        this.port = analyses;
        if (run != null && analyses != null) {
            run = analyses.resume(run);
        }
    }

    /** Starts the run of {@link #name} for the new colour against the old. */
    void start(CanaryServices services, Instant now) throws DeployException {
        run = (port == null ? AnalysisPort.NONE : port).start(name, services, now);
    }

    /** What the analysis phase does next. {@code active}: the colour the active Service selects now. */
    static BlueGreenDecision decide(PostSwitchAnalysis a, String to, String active, BlueGreenObservation.Verdict v) {
        if (a.answer != null) {
            return new CarryOutAnswer(a.answer, a.answerReason);
        }
        if (!to.equals(active)) {
            return new SwitchedBackMeanwhile(active);
        }
        if (a.approvalSince != null) {
            return new WaitForApproval();
        }
        if (a.run == null) {
            return new StartAnalysis();
        }
        return judge(v);
    }

    /** A verdict, in what it makes the rollout do. */
    static BlueGreenDecision judge(BlueGreenObservation.Verdict v) {
        return switch (v.verdict().status()) {
            case RUNNING -> new AnalysisRunning(v.next());
            case SUCCESSFUL -> new AnalysisPassed(v.verdict().message());
            case INCONCLUSIVE -> new AnalysisInconclusive(v.verdict().message());
            case FAILED, ERROR -> new AnalysisFailed(v.verdict().status(), v.verdict().message());
        };
    }

    /** Moves the running analysis's record (if any) to the finished ones. */
    void keep() {
        if (run != null) {
            AnalysisRecord r = run.record();
            if (r != null) {
                finished.add(r);
            }
            run = null;
        }
    }

    /** The finished runs' records and the running one's. */
    List<AnalysisRecord> all() {
        List<AnalysisRecord> all = new ArrayList<>(finished);
        AnalysisRecord running = run == null ? null : run.record();
        if (running != null) {
            all.add(running);
        }
        return all;
    }

    /** An inconclusive verdict: a person decides from now. */
    void askApproval(Instant now, String message) {
        approvalSince = now;
        approvalMessage = message;
    }

    /** The decision a person must take, while one waits and no answer was given yet. */
    Optional<Approval> pending(boolean analysing, String app, String to) {
        if (!analysing || approvalSince == null || answer != null) {
            return Optional.empty();
        }
        return Optional.of(new Approval(approvalId(app, to), approvalMessage, approvalSince, null));
    }

    String approvalId(String app, String to) {
        return app + "-" + to + "-" + approvalSince.toEpochMilli();
    }

    /** Keeps a person's answer for the next tick. */
    void answer(boolean proceed, String reason) {
        answer = proceed;
        answerReason = reason;
    }

    /** The answer is being carried out: nothing waits any more. */
    void clearApproval() {
        answer = null;
        answerReason = null;
        approvalSince = null;
        approvalMessage = null;
    }
}
