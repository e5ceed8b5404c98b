package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * The plugin's section of Manage Jenkins > System: named clusters (steps say {@code cluster: 'prod'}, see
 * {@link NamedClusters}), metric providers (a shared Prometheus) and named analyses, defined once for every canary. A step's {@code analysis} file and {@code analysisYaml} build on it and win for the same
 * name (see {@link AnalysisSources}). Configuration as code:
 *
 * <pre>
 * unclassified:
 *   progressiveDelivery:
 *     clusters:
 *     - name: prod
 *       serverUrl: "https://k8s.example.com:6443"
 *       credentialsId: prod-deployer
 *       namespace: shop
 *     allowJobProviders: false
 *     allowInsecureSkipTlsVerify: false
 *     analysisYaml: |
 *       providers:
 *         prom: {type: prometheus, address: "http://prometheus.monitoring:9090", credentialsId: prom-token}
 * </pre>
 */
@Extension
@Symbol("progressiveDelivery")
public final class ProgressiveDeliveryConfiguration extends GlobalConfiguration {
    private String analysisYaml;
    private List<NamedCluster> clusters = new ArrayList<>();
    /** Whether a step's analysisYaml may define metric providers (addresses and credentials); off by default. */
    private boolean allowJobProviders;
    /** Whether a kubeconfig credential may set insecure-skip-tls-verify; off by default. */
    private boolean allowInsecureSkipTlsVerify;
    /** True while {@link #configure} binds the form: setters neither check nor save; configure does, once. */
    private transient volatile boolean binding;

    public ProgressiveDeliveryConfiguration() {
        load();
    }

    public static ProgressiveDeliveryConfiguration get() {
        return ExtensionList.lookupSingleton(ProgressiveDeliveryConfiguration.class);
    }

    /** The named clusters, in the order configured; never null. */
    public List<NamedCluster> getClusters() {
        return clusters == null ? List.of() : List.copyOf(clusters);
    }

    /**
     * Replaces the named clusters (configuration as code; the form goes through {@link #configure}). Names must be
     * unique and serverUrls https: a bad list is refused whole.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    @DataBoundSetter
    public void setClusters(List<NamedCluster> clusters) {
        List<NamedCluster> given = clusters == null ? List.of() : clusters;
        if (!binding) {
            String problem = clustersProblem(given);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        this.clusters = new ArrayList<>(given);
        saveUnlessBinding();
    }

    private static String clustersProblem(List<NamedCluster> clusters) {
        return NamedClusters.problem(clusters.stream().map(NamedCluster::definition).toList());
    }

    private void saveUnlessBinding() {
        if (!binding) {
            save();
        }
    }

    /** The named clusters as plain values, for {@link NamedClusters#resolve}. */
    List<NamedClusters.Definition> definitions() {
        return getClusters().stream().map(NamedCluster::definition).toList();
    }

    /**
     * The form: binds every field, checks them all, and saves once, or refuses the whole form with the field named
     * and keeps what was configured before. The form leaves out a list with no entries; clearing first makes
     * removing the last cluster stick.
     */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        List<NamedCluster> beforeClusters = clusters;
        String beforeYaml = analysisYaml;
        boolean beforeJobProviders = allowJobProviders;
        boolean beforeInsecure = allowInsecureSkipTlsVerify;
        allowJobProviders = false; // an unticked box is left out of the form
        allowInsecureSkipTlsVerify = false;
        clusters = new ArrayList<>();
        binding = true;
        try {
            super.configure(req, json);
            String problem = clustersProblem(getClusters());
            if (problem != null) {
                throw new FormException("Clusters: " + problem, "clusters");
            }
            problem = analysisYaml == null ? null : AnalysisSources.problem(analysisYaml, null, true);
            if (problem != null) {
                throw new FormException("Analysis YAML: " + problem, "analysisYaml");
            }
        } catch (FormException | RuntimeException e) {
            clusters = beforeClusters;
            analysisYaml = beforeYaml;
            allowJobProviders = beforeJobProviders;
            allowInsecureSkipTlsVerify = beforeInsecure;
            throw e;
        } finally {
            binding = false;
        }
        save();
        return true;
    }

    /**
     * Whether a step's {@code analysisYaml} may define metric providers: where the controller sends queries, and
     * which credentials go with them. Off by default: providers come from this configuration only, and a job (or a
     * pull request from a fork) names analyses and queries but never a place to send a credential. A workspace
     * analysis file never may.
     */
    public boolean isAllowJobProviders() {
        return allowJobProviders;
    }

    @DataBoundSetter
    public void setAllowJobProviders(boolean allowJobProviders) {
        this.allowJobProviders = allowJobProviders;
        saveUnlessBinding();
    }

    /**
     * Whether a kubeconfig credential may set {@code insecure-skip-tls-verify: true}: connect without checking the
     * API server's certificate, so that anyone on the way can read the credentials and change what is deployed. Off
     * by default, and such a kubeconfig is refused naming its cluster.
     */
    public boolean isAllowInsecureSkipTlsVerify() {
        return allowInsecureSkipTlsVerify;
    }

    @DataBoundSetter
    public void setAllowInsecureSkipTlsVerify(boolean allowInsecureSkipTlsVerify) {
        this.allowInsecureSkipTlsVerify = allowInsecureSkipTlsVerify;
        saveUnlessBinding();
    }

    /** Providers and analyses as YAML; null when none. Holds credentials ids, never secrets. */
    public String getAnalysisYaml() {
        return analysisYaml;
    }

    /** Kept as written (YAML's indentation matters) but for Windows line ends; blank means none. */
    @DataBoundSetter
    public void setAnalysisYaml(String analysisYaml) {
        this.analysisYaml = analysisYaml == null || analysisYaml.isBlank() ? null : analysisYaml.replace("\r\n", "\n");
        saveUnlessBinding();
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
