package io.jenkins.plugins.k8sdeploy.engine.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jenkins.plugins.k8sdeploy.engine.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.manifest.SafeYaml;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a kubeconfig held in a credential into a {@link ClusterConnection}.
 *
 * <p>Only what a kubeconfig can carry inline is accepted. A kubeconfig that would make the Jenkins controller run a
 * command ({@code exec}, {@code auth-provider}) or read a file of its own ({@code certificate-authority},
 * {@code client-certificate}, {@code client-key}, {@code tokenFile}) is refused with a message saying which entry and
 * what to use instead: such a kubeconfig could run code or read secrets on the controller.
 */
public final class Kubeconfig {
    /** Larger than any real kubeconfig; guards the parser against a huge file. */
    public static final int MAX_CHARS = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Kubeconfig() {}

    /**
     * The connection a kubeconfig describes.
     *
     * @param context the context to use, or {@code null}/blank for the kubeconfig's current context
     */
    public static ClusterConnection connection(String kubeconfig, String context) throws DeployException {
        Config config = parse(kubeconfig);
        NamedContext named = selectContext(config, context);
        Context ctx = named.getContext();
        if (ctx == null || ctx.getCluster() == null || ctx.getUser() == null) {
            throw new DeployException("The kubeconfig's context '" + named.getName() + "' does not name both a cluster"
                    + " and a user.");
        }
        Cluster cluster = find(config.getClusters(), NamedCluster::getName, ctx.getCluster(), "cluster")
                .getCluster();
        AuthInfo user = find(config.getUsers(), NamedAuthInfo::getName, ctx.getUser(), "user").getUser();
        if (cluster == null || user == null) {
            throw new DeployException("The kubeconfig's cluster '" + ctx.getCluster() + "' or user '" + ctx.getUser()
                    + "' is empty.");
        }
        refuseExternalReferences(ctx, cluster, user);
        boolean insecure = Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify());
        String token = blankToNull(user.getToken());
        String cert = decode(user.getClientCertificateData(), "client-certificate-data of user " + ctx.getUser());
        String key = decode(user.getClientKeyData(), "client-key-data of user " + ctx.getUser());
        if ((cert == null) != (key == null)) {
            throw new DeployException("The kubeconfig's user '" + ctx.getUser() + "' has a client certificate without"
                    + " its key, or a key without its certificate. Expected both client-certificate-data and"
                    + " client-key-data.");
        }
        String username = blankToNull(user.getUsername());
        return new ClusterConnection(
                ClusterConnection.checkServerUrl(cluster.getServer()),
                ClusterConnection.checkCertificate(
                        decode(cluster.getCertificateAuthorityData(), "certificate-authority-data of cluster "
                                + ctx.getCluster()),
                        "certificate-authority-data of cluster " + ctx.getCluster()),
                insecure,
                token,
                token == null ? cert : null,
                token == null ? key : null,
                token == null && cert == null ? username : null,
                token == null && cert == null && username != null ? user.getPassword() : null,
                blankToNull(ctx.getNamespace()));
    }

    private static Config parse(String kubeconfig) throws DeployException {
        if (kubeconfig == null || kubeconfig.isBlank()) {
            throw new DeployException("The kubeconfig is empty. Expected a kubeconfig file with at least one context,"
                    + " cluster and user.");
        }
        if (kubeconfig.length() > MAX_CHARS) {
            throw new DeployException("The kubeconfig is " + kubeconfig.length() + " characters long; at most "
                    + MAX_CHARS + " are read. Expected a kubeconfig for the clusters this job deploys to.");
        }
        Object yaml = read(kubeconfig);
        Config config;
        try {
            config = new KubernetesSerialization().convertValue(yaml, Config.class);
        } catch (IllegalArgumentException e) {
            // Where, never what: the mapper's message quotes the value, which may be a token.
            String field = wrongField(e);
            throw new DeployException((field == null ? "The kubeconfig has a field of the wrong type"
                    : "The kubeconfig's field " + field + " has the wrong type") + " (its value is not shown)."
                    + " Expected a kubeconfig file with contexts, clusters and users.");
        }
        if (config == null || config.getContexts() == null || config.getContexts().isEmpty()) {
            throw new DeployException("The kubeconfig has no contexts. Expected a kubeconfig file with at least one"
                    + " context, cluster and user.");
        }
        return config;
    }

    /**
     * The kubeconfig's one document. YAML is read as manifests are ({@link SafeYaml}): safe types only, and bounded in
     * what its aliases expand to before the mapper writes them out. JSON (which has no aliases, and may be indented
     * with tabs, which YAML refuses) is read by the JSON parser, within its own limits.
     */
    private static Object read(String kubeconfig) throws DeployException {
        if (kubeconfig.strip().startsWith("{")) {
            try {
                return JSON.readValue(kubeconfig, Map.class);
            } catch (JsonProcessingException e) {
                // The line only: the parser's message quotes the token it stopped at, which may be a secret.
                throw new DeployException("The kubeconfig is not valid JSON (line "
                        + (e.getLocation() == null ? "unknown" : e.getLocation().getLineNr()) + ").");
            }
        }
        Object[] document = new Object[1];
        int[] documents = {0};
        try {
            SafeYaml.read(kubeconfig, MAX_CHARS, (value, line) -> {
                if (++documents[0] > 1) {
                    throw new DeployException("The kubeconfig holds more than one YAML document (line " + line
                            + "). Expected one kubeconfig.");
                }
                document[0] = value;
            });
        } catch (SafeYaml.TooLarge e) {
            throw new DeployException("The kubeconfig " + e.what() + ", so it was not read.");
        } catch (YAMLException e) {
            if (SafeYaml.isAliasBomb(e)) {
                throw new DeployException("The kubeconfig uses more than " + SafeYaml.MAX_ALIASES + " YAML aliases,"
                        + " the mark of an alias bomb (\"billion laughs\"), so it was not read.");
            }
            throw new DeployException("The kubeconfig is not valid YAML: " + SafeYaml.problem(e) + ".");
        }
        if (!(document[0] instanceof Map<?, ?>)) {
            String found = document[0] == null ? "nothing" : document[0] instanceof List<?> ? "a list"
                    : "a single value, not shown";
            throw new DeployException("The kubeconfig is not a mapping (found " + found + "). Expected a kubeconfig"
                    + " file with contexts, clusters and users.");
        }
        return document[0];
    }

    /** The path of the field the mapper could not read, "clusters[0].cluster.server", or null. */
    private static String wrongField(IllegalArgumentException e) {
        if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : mapping.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            return path.toString();
        }
        return null;
    }

    private static NamedContext selectContext(Config config, String wanted) throws DeployException {
        String name = blankToNull(wanted);
        if (name == null) {
            name = blankToNull(config.getCurrentContext());
            if (name == null) {
                if (config.getContexts().size() == 1) {
                    return config.getContexts().get(0);
                }
                throw new DeployException("The kubeconfig has no current-context and " + config.getContexts().size()
                        + " contexts (" + names(config.getContexts(), NamedContext::getName)
                        + "). Name the one to use with the context parameter.");
            }
        }
        return find(config.getContexts(), NamedContext::getName, name, "context");
    }

    private static void refuseExternalReferences(Context ctx, Cluster cluster, AuthInfo user) throws DeployException {
        String who = "The kubeconfig's user '" + ctx.getUser() + "'";
        if (user.getExec() != null) {
            throw new DeployException(who + " gets its credentials by running a command (exec: "
                    + user.getExec().getCommand() + "). Commands from a kubeconfig are never run on the Jenkins"
                    + " controller. Expected a token or client certificate data in the kubeconfig, or a Secret text"
                    + " credential holding a token.");
        }
        if (user.getAuthProvider() != null) {
            throw new DeployException(who + " uses an auth-provider ('" + user.getAuthProvider().getName() + "'),"
                    + " which needs a helper on the Jenkins controller. Expected a token or client certificate data"
                    + " in the kubeconfig, or a Secret text credential holding a token.");
        }
        refuseFile(user.getTokenFile(), who + " reads its token from the file '%s'");
        refuseFile(user.getClientCertificate(), who + " reads its client certificate from the file '%s'");
        refuseFile(user.getClientKey(), who + " reads its client key from the file '%s'");
        refuseFile(cluster.getCertificateAuthority(),
                "The kubeconfig's cluster '" + ctx.getCluster() + "' reads its CA certificate from the file '%s'");
    }

    private static void refuseFile(String path, String what) throws DeployException {
        if (blankToNull(path) != null) {
            throw new DeployException(String.format(what, path) + " on the Jenkins controller, which is refused."
                    + " Expected the content inline (token, client-certificate-data, client-key-data,"
                    + " certificate-authority-data).");
        }
    }

    private static <T> T find(List<T> items, Function<T, String> name, String wanted, String kind)
            throws DeployException {
        if (items != null) {
            for (T item : items) {
                if (Objects.equals(name.apply(item), wanted)) {
                    return item;
                }
            }
        }
        throw new DeployException("The kubeconfig has no " + kind + " named '" + wanted + "'. It has: "
                + names(items, name) + ".");
    }

    private static <T> String names(List<T> items, Function<T, String> name) {
        if (items == null || items.isEmpty()) {
            return "none";
        }
        return items.stream().map(name).map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    private static String decode(String base64, String what) throws DeployException {
        if (blankToNull(base64) == null) {
            return null;
        }
        try {
            return new String(Base64.getMimeDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new DeployException("The kubeconfig's " + what + " is not base64. Expected base64 of PEM text.");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

}
