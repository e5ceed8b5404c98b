package io.jenkins.plugins.k8sdeploy.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import hudson.FilePath;
import hudson.model.Run;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisConfig;
import io.jenkins.plugins.k8sdeploy.engine.analysis.AnalysisPort;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.Credentials;
import io.jenkins.plugins.k8sdeploy.engine.analysis.provider.ProviderConfig;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * A canary's analyses in Jenkins: the YAML from the global configuration, the step's workspace file and its inline
 * text ({@link AnalysisSources}), with each provider's {@code credentialsId} looked up in the credentials store for the
 * run, tracked, and never kept ({@link ProviderCredentials} decides what each kind becomes).
 */
final class CanaryAnalyses {
    private CanaryAnalyses() {}

    /**
     * What the canary's analyses are made from, or null when it runs none (no {@code analysis NAME} step, nothing
     * given): the global configuration is then not even read.
     */
    static AnalysisSources read(AnalysisSettings s, List<String> planAnalyses, FilePath workspace,
            Consumer<String> log) throws IOException, InterruptedException, DeployException {
        String file = Requests.blank(s.getAnalysis());
        String inline = Requests.blank(s.getAnalysisYaml());
        if (planAnalyses.isEmpty() && file == null && inline == null) {
            return null;
        }
        if (planAnalyses.isEmpty()) {
            log.accept(Messages.CanaryAnalyses_noAnalysisStep());
        }
        ProgressiveDeliveryConfiguration global = ProgressiveDeliveryConfiguration.get();
        return new AnalysisSources(global.getAnalysisYaml(), file, file == null ? null : readFile(workspace, file),
                inline == null ? null : s.getAnalysisYaml(), global.isAllowJobProviders());
    }

    /** The analyses the plan runs; {@link AnalysisPort#NONE} when {@code sources} is null. */
    static AnalysisPort build(AnalysisSources sources, List<String> planAnalyses, Run<?, ?> run)
            throws DeployException {
        return sources == null ? AnalysisPort.NONE : sources.build(provider -> credentials(provider, run),
                planAnalyses);
    }

    /**
     * After a restart: the same analyses again, or, when they cannot be made any more, analyses that fail with the
     * reason (the engine then aborts the canary at its analysis step, as for any analysis that cannot measure).
     */
    static AnalysisPort rebuild(AnalysisSources sources, List<String> planAnalyses, Run<?, ?> run,
            Consumer<String> log) {
        try {
            return build(sources, planAnalyses, run);
        } catch (DeployException e) {
            log.accept(Messages.CanaryAnalyses_rebuildFailed(e.getMessage()));
            return new UnavailableAnalysis(e.getMessage());
        }
    }

    private static Credentials credentials(ProviderConfig provider, Run<?, ?> run) throws DeployException {
        StandardCredentials c = CredentialsProvider.findCredentialById(provider.credentialsId(),
                StandardCredentials.class, run, URIRequirementBuilder.fromUri(provider.address()).build());
        if (c != null) {
            CredentialsProvider.track(run, c);
        }
        return ProviderCredentials.toEngine(provider, found(c));
    }

    private static ProviderCredentials.Found found(StandardCredentials c) {
        if (c == null) {
            return null;
        }
        if (c instanceof StringCredentials s) {
            return new ProviderCredentials.SecretText(s.getSecret().getPlainText());
        }
        if (c instanceof StandardUsernamePasswordCredentials u) {
            return new ProviderCredentials.UsernamePassword(u.getUsername(), u.getPassword().getPlainText());
        }
        return new ProviderCredentials.Other(c.getDescriptor().getDisplayName());
    }

    /** The analysis file's text; the size limit is {@link AnalysisConfig#parse}'s (it reads one character more). */
    private static String readFile(FilePath workspace, String path)
            throws IOException, InterruptedException, DeployException {
        if (workspace == null) {
            throw new DeployException(Messages.CanaryAnalyses_noWorkspace(path));
        }
        FilePath f = workspace.child(path);
        if (!f.exists() || f.isDirectory()) {
            throw new DeployException(Messages.CanaryAnalyses_fileMissing(path, workspace.getRemote()));
        }
        return new WorkspaceManifestFiles(workspace).read(path, AnalysisConfig.MAX_SOURCE_CHARS);
    }
}
