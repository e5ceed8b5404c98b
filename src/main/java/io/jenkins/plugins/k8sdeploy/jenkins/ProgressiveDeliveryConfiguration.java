package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * The plugin's section of Manage Jenkins > System: metric providers (a shared Prometheus) and named analyses, defined
 * once for every canary. A step's {@code analysis} file and {@code analysisYaml} build on it and win for the same
 * name (see {@link AnalysisSources}). Configuration as code:
 *
 * <pre>
 * unclassified:
 *   progressiveDelivery:
 *     analysisYaml: |
 *       providers:
 *         prom: {type: prometheus, address: "http://prometheus.monitoring:9090", credentialsId: prom-token}
 * </pre>
 */
@Extension
@Symbol("progressiveDelivery")
public final class ProgressiveDeliveryConfiguration extends GlobalConfiguration {
    private String analysisYaml;

    public ProgressiveDeliveryConfiguration() {
        load();
    }

    public static ProgressiveDeliveryConfiguration get() {
        return ExtensionList.lookupSingleton(ProgressiveDeliveryConfiguration.class);
    }

    /** Providers and analyses as YAML; null when none. Holds credentials ids, never secrets. */
    public String getAnalysisYaml() {
        return analysisYaml;
    }

    /** Kept as written (YAML's indentation matters) but for Windows line ends; blank means none. */
    @DataBoundSetter
    public void setAnalysisYaml(String analysisYaml) {
        this.analysisYaml = analysisYaml == null || analysisYaml.isBlank() ? null : analysisYaml.replace("\r\n", "\n");
        save();
    }

    /**
     * Checks the YAML on its own: every provider a global analysis uses must be defined here too. Only administrators
     * may ask (the answer describes the configuration).
     */
    @POST
    public FormValidation doCheckAnalysisYaml(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String problem = AnalysisSources.problem(value, null, true);
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }
}
