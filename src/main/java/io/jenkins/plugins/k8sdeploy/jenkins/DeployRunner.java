package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.k8sdeploy.engine.DeployEngine;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.bluegreen.BlueGreenEngine;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryEngine;
import io.jenkins.plugins.k8sdeploy.engine.canary.CanaryRequest;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.record.DeployRecord;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollout;
import io.jenkins.plugins.k8sdeploy.engine.strategy.Rollouts;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The freestyle builders' work: check the parameters, resolve the cluster for the run, run on this thread (a freestyle
 * build holds its executor anyway), fail the build on failure. A stopped build interrupts the thread, which stops a
 * rollout the way the Pipeline steps do.
 */
final class DeployRunner {
    private DeployRunner() {}

    static DeployRecord deploy(DeploySettings settings, StrategySettings strategy, AnalysisSettings analysis,
            Map<String, String> env, Run<?, ?> run, FilePath workspace, TaskListener listener)
            throws IOException, InterruptedException {
        try {
            DeployRecord.Strategy name = Requests.strategy(strategy, analysis);
            ClusterConnection cluster = ClusterCredentials.resolve(settings, run);
            WorkspaceManifestFiles files = new WorkspaceManifestFiles(workspace);
            Consumer<String> log = listener.getLogger()::println;
            return switch (name) {
                case DeployRecord.Strategy.CANARY -> {
                    CanaryRequest request = Requests.canary(settings, strategy, env, driver(run));
                    List<String> names = request.plan().analyses();
                    AnalysisPort analyses = CanaryAnalyses.build(CanaryAnalyses.read(analysis, names, workspace,
                            log), names, run);
                    yield run(run, new CanaryEngine(Clock.systemUTC()).start(request, files, cluster, analyses,
                            log), cluster, log, settings.isRollback(), r -> DeployRecord.Outcome.SUCCEEDED.equals(r.outcome()));
                }
                case DeployRecord.Strategy.BLUE_GREEN -> run(run, new BlueGreenEngine().deploy(
                        Requests.blueGreen(settings, strategy, env), files, cluster, log), cluster, log,
                        settings.isRollback(), r -> DeployRecord.Outcome.SUCCEEDED.equals(r.outcome()));
                default -> {
                    DeployRecord record = new DeployEngine().deploy(Requests.deploy(settings, env), files, cluster, log);
                    RolloutsAction.record(run, record);
                    if (!record.succeeded()) {
                        throw new AbortException(record.failure());
                    }
                    yield record;
                }
            };
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** canaryPromote: an abort asked for succeeds with the canary ABORTED. */
    static DeployRecord promote(CanaryPromoteSettings settings, Run<?, ?> run, TaskListener listener)
            throws IOException, InterruptedException {
        try {
            CanaryPromoteRequest r = Requests.canaryPromote(settings);
            ClusterConnection cluster = ClusterCredentials.resolve(settings, run);
            Consumer<String> log = listener.getLogger()::println;
            Rollout rollout = new CanaryEngine(Clock.systemUTC()).control(cluster,
                    Requests.namespace(r.namespace(), cluster), r.app(), r.action(), r.weight(), promoter(run),
                    AnalysisPort.NONE, r.timeout(), log);
            return run(run, rollout, cluster, log, false, r::succeeded);
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** blueGreenSwitch: over to the preview, or back with rollback. */
    static DeployRecord switchOver(BlueGreenSwitchSettings settings, Run<?, ?> run, FilePath workspace,
            TaskListener listener) throws IOException, InterruptedException {
        try {
            var request = Requests.blueGreenSwitch(settings);
            ClusterConnection cluster = ClusterCredentials.resolve(settings, run);
            Consumer<String> log = listener.getLogger()::println;
            BlueGreenEngine engine = new BlueGreenEngine();
            Rollout rollout;
            if (settings.isRollback()) {
                rollout = engine.switchBack(request, cluster, log);
            } else {
                AnalysisPort analyses = request.analysis() == null ? AnalysisPort.NONE
                        : CanaryAnalyses.build(CanaryAnalyses.read(settings, List.of(request.analysis()), workspace,
                                log), List.of(request.analysis()), run);
                rollout = engine.switchOver(request, cluster, log).withAnalysis(analyses);
            }
            return run(run, rollout, cluster, log, false, r -> DeployRecord.Outcome.SUCCEEDED.equals(r.outcome()));
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** Who drives a canary this build started: "jenkins: folder/job#12". */
    static String driver(Run<?, ?> run) {
        return "jenkins: " + run.getExternalizableId();
    }

    /**
     * Who steers a canary with canaryPromote: never the same name as a k8sDeploy of the same build, which may still
     * drive the canary (a parallel branch) and must receive the promotion as a command rather than be taken over.
     */
    static String promoter(Run<?, ?> run) {
        return driver(run) + " (canaryPromote)";
    }

    /** Runs the rollout on this thread, records it for the build page, and fails the build unless it succeeded. */
    private static DeployRecord run(Run<?, ?> build, Rollout rollout, ClusterConnection cluster,
            Consumer<String> log, boolean rollBackOnStop, Predicate<DeployRecord> succeeded) throws DeployException,
            AbortException, InterruptedException {
        DeployRecord record = Rollouts.run(rollout, cluster, Clock.systemUTC(), log, rollBackOnStop);
        RolloutsAction.record(build, record);
        if (!succeeded.test(record)) {
            throw new AbortException(record.failure() == null ? "The rollout ended " + record.outcome() + "."
                    : record.failure());
        }
        return record;
    }
}
