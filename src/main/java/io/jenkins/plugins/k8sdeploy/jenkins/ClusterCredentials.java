package io.jenkins.plugins.k8sdeploy.jenkins;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCertificateCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import hudson.AbortException;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import io.jenkins.plugins.k8sdeploy.engine.kube.Kubeconfig;
import io.jenkins.plugins.k8sdeploy.engine.kube.KubeconfigPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Turns a credentials id into a {@link ClusterConnection} for one run, and lists the credentials a configuration form
 * may offer. Follows the credentials plugin's consumer guide: looked up for the run, tracked, never stored.
 */
final class ClusterCredentials {
    /**
     * A Secret text holds a bearer token; a Secret file holds a kubeconfig; a user name with password and a
     * certificate (PKCS#12) authenticate directly, with serverUrl.
     */
    static final CredentialsMatcher USABLE = CredentialsMatchers.anyOf(
            CredentialsMatchers.instanceOf(StringCredentials.class),
            CredentialsMatchers.instanceOf(FileCredentials.class),
            CredentialsMatchers.instanceOf(StandardUsernamePasswordCredentials.class),
            CredentialsMatchers.instanceOf(StandardCertificateCredentials.class));

    private ClusterCredentials() {}

    /**
     * The connection for a step's settings. A named {@code cluster} is looked up in the global configuration now (a
     * resumed build uses the configuration as it is when it resumes); its credential, like the step's own, is looked
     * up as this build's job sees credentials, and its namespace becomes the connection's default namespace.
     */
    static ClusterConnection resolve(ClusterTarget step, Run<?, ?> run) throws IOException {
        NamedClusters.Resolved target;
        try {
            target = NamedClusters.resolve(step, NamedClusters.blank(step.getCluster()) == null ? List.of()
                    : ProgressiveDeliveryConfiguration.get().definitions());
        } catch (DeployException e) {
            throw new AbortException(e.getMessage());
        }
        return connect(target, run).withDefaultNamespace(target.namespace());
    }

    private static ClusterConnection connect(ClusterTarget target, Run<?, ?> run) throws IOException {
        String id = Util.fixEmptyAndTrim(target.getCredentialsId());
        if (id == null) {
            throw new AbortException(Messages.ClusterCredentials_noCredentialsId());
        }
        StandardCredentials credentials = CredentialsProvider.findCredentialById(
                id, StandardCredentials.class, run, requirements(target.getServerUrl()));
        if (credentials == null) {
            throw new AbortException(Messages.ClusterCredentials_notFound(id));
        }
        CredentialsProvider.track(run, credentials);
        if (!USABLE.matches(credentials)) {
            throw new AbortException(Messages.ClusterCredentials_wrongType(id,
                    credentials.getDescriptor().getDisplayName()));
        }
        try {
            boolean noServer = Util.fixEmptyAndTrim(target.getServerUrl()) == null;
            if (noServer && !(credentials instanceof FileCredentials)) {
                throw new AbortException(Messages.ClusterCredentials_needsServer(id));
            }
            if (credentials instanceof StringCredentials token) {
                return ClusterConnection.ofToken(
                        target.getServerUrl(), target.getCaCertificate(), token.getSecret().getPlainText());
            }
            if (credentials instanceof StandardUsernamePasswordCredentials user) {
                return ClusterConnection.ofBasic(target.getServerUrl(), target.getCaCertificate(), user.getUsername(),
                        user.getPassword().getPlainText());
            }
            if (credentials instanceof StandardCertificateCredentials certificate) {
                CertificateKeys.Pem pem = CertificateKeys.of(certificate.getKeyStore(),
                        certificate.getPassword().getPlainText().toCharArray(), id);
                return ClusterConnection.ofClientCertificate(target.getServerUrl(), target.getCaCertificate(),
                        pem.certificates(), pem.privateKey());
            }
            if (credentials instanceof FileCredentials file) {
                ClusterConnection connection = Kubeconfig.connection(read(file), target.getContext(),
                        KubeconfigPolicy.jenkins(ProgressiveDeliveryConfiguration.get().isAllowInsecureSkipTlsVerify()));
                String serverUrl = Util.fixEmptyAndTrim(target.getServerUrl());
                if (serverUrl != null && !sameServer(serverUrl, connection.serverUrl())) {
                    throw new AbortException(Messages.ClusterCredentials_serverMismatch(
                            ClusterConnection.shownUrl(serverUrl), id, connection.serverUrl()));
                }
                return connection;
            }
            throw new IllegalStateException("USABLE matched an unhandled kind: " + credentials.getClass());
        } catch (DeployException e) {
            throw new AbortException(Messages.ClusterCredentials_unusable(id, e.getMessage()));
        }
    }

    /** The credentials a job's configuration form may offer, for a user allowed to see them; else just the current one. */
    static ListBoxModel fill(Item item, String credentialsId, String serverUrl) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (item == null
                ? !Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : !item.hasPermission(Item.EXTENDED_READ) && !item.hasPermission(CredentialsProvider.USE_ITEM)) {
            return result.includeCurrentValue(credentialsId);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(
                        item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2,
                        item,
                        StandardCredentials.class,
                        requirements(serverUrl),
                        USABLE)
                .includeCurrentValue(credentialsId);
    }

    private static List<DomainRequirement> requirements(String serverUrl) {
        return URIRequirementBuilder.fromUri(Util.fixEmptyAndTrim(serverUrl)).build();
    }

    private static String read(FileCredentials file) throws IOException, DeployException {
        try (InputStream in = file.getContent()) {
            byte[] bytes = in.readNBytes(Kubeconfig.MAX_CHARS + 1);
            if (bytes.length > Kubeconfig.MAX_CHARS) {
                throw new DeployException("The kubeconfig is larger than " + Kubeconfig.MAX_CHARS + " bytes.");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static boolean sameServer(String a, String b) {
        return strip(a).equalsIgnoreCase(strip(b));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
