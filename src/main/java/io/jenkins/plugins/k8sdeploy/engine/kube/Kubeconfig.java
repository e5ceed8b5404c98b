package io.jenkins.plugins.k8sdeploy.engine.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.base.Json;
import io.jenkins.plugins.k8sdeploy.engine.manifest.SafeYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a kubeconfig into a {@link ClusterConnection}, under the {@link KubeconfigPolicy} of the front end reading it.
 *
 * <p>In Jenkins only what a kubeconfig can carry inline is accepted. A kubeconfig that would make the controller run a
 * command ({@code exec}, {@code auth-provider}) or read a file of its own ({@code certificate-authority},
 * {@code client-certificate}, {@code client-key}, {@code tokenFile}) is refused with a message saying which entry and
 * what to use instead: such a kubeconfig could run code or read secrets on the controller. On the command line, where
 * the kubeconfig is the user's own, fabric8 runs the command and reads the files, as kubectl does.
 *
 * <p>{@code insecure-skip-tls-verify: true} is refused in Jenkins unless an administrator allowed it, and accepted
 * with a warning on the command line.
 */
public final class Kubeconfig {
    /** Larger than any real kubeconfig; guards the parser against a huge file. */
    public static final int MAX_CHARS = 1024 * 1024;

    private Kubeconfig() {}

    /**
     * The connection a kubeconfig describes.
     *
     * @param context the context to use, or {@code null}/blank for the kubeconfig's current context
     * @param policy what the front end reading it lets a kubeconfig do
     */
    public static ClusterConnection connection(String kubeconfig, String context, KubeconfigPolicy policy)
            throws DeployException {
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
        String server = ClusterConnection.checkServerUrl(cluster.getServer());
        boolean insecure = Boolean.TRUE.equals(cluster.getInsecureSkipTlsVerify());
        if (insecure) {
            checkInsecure(ctx, server, policy);
        }
        if (hasExternalReferences(cluster, user)) {
            if (!policy.allowsCredentialPlugins()) {
                refuseExternalReferences(ctx, cluster, user, policy);
            }
            return kubectl(named, server, insecure, user, policy);
        }
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
                server,
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
            config = Transport.SERIALIZATION.convertValue(yaml, Config.class);
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
                return Json.mapper().readValue(kubeconfig, Map.class);
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

    private static void checkInsecure(Context ctx, String server, KubeconfigPolicy policy) throws DeployException {
        String what = "The kubeconfig's cluster '" + ctx.getCluster() + "' sets insecure-skip-tls-verify: true, so the"
                + " certificate of " + server + " would not be checked and anyone on the way could read and change"
                + " what is sent, credentials included.";
        if (!policy.allowsInsecureSkipTlsVerify()) {
            throw new DeployException(what + " " + policy.frontEnd() + " refuses it unless an administrator allows"
                    + " it (Manage Jenkins > System > Progressive delivery). Expected certificate-authority-data with"
                    + " the cluster's CA certificate instead.");
        }
        policy.warn(what + " " + policy.frontEnd() + " connects all the same, as kubectl does; set"
                + " certificate-authority-data to the cluster's CA certificate to have it checked.");
    }

    private static boolean hasExternalReferences(Cluster cluster, AuthInfo user) {
        return user.getExec() != null || user.getAuthProvider() != null || blankToNull(user.getTokenFile()) != null
                || blankToNull(user.getClientCertificate()) != null || blankToNull(user.getClientKey()) != null
                || blankToNull(cluster.getCertificateAuthority()) != null;
    }

    private static void refuseExternalReferences(Context ctx, Cluster cluster, AuthInfo user, KubeconfigPolicy policy)
            throws DeployException {
        String who = "The kubeconfig's user '" + ctx.getUser() + "'";
        String front = policy.frontEnd();
        String instead = " Expected a token or client certificate data in the kubeconfig, or a Secret text credential"
                + " holding a token. (The k8spd command line accepts it, as kubectl does, on your own machine.)";
        if (user.getExec() != null) {
            throw new DeployException(who + " gets its credentials by running a command (exec: "
                    + user.getExec().getCommand() + "). " + front + " never runs a command a kubeconfig names on its"
                    + " controller: a job could name any program." + instead);
        }
        if (user.getAuthProvider() != null) {
            throw new DeployException(who + " uses an auth-provider ('" + user.getAuthProvider().getName() + "'),"
                    + " which needs a helper on the controller; " + front + " refuses it." + instead);
        }
        refuseFile(user.getTokenFile(), who + " reads its token from the file '%s'", front);
        refuseFile(user.getClientCertificate(), who + " reads its client certificate from the file '%s'", front);
        refuseFile(user.getClientKey(), who + " reads its client key from the file '%s'", front);
        refuseFile(cluster.getCertificateAuthority(),
                "The kubeconfig's cluster '" + ctx.getCluster() + "' reads its CA certificate from the file '%s'",
                front);
    }

    private static void refuseFile(String path, String what, String frontEnd) throws DeployException {
        if (blankToNull(path) != null) {
            throw new DeployException(String.format(what, path) + " on the " + frontEnd + " controller, which "
                    + frontEnd + " refuses: a job could name any of the controller's files. Expected the content"
                    + " inline (token, client-certificate-data, client-key-data, certificate-authority-data).");
        }
    }

    /**
     * The command line's way with commands and files: fabric8 reads the kubeconfig file itself, runs the exec
     * command and reads files relative to the kubeconfig's folder, as kubectl does. The command runs now, so that a
     * command that fails says so before anything else happens.
     */
    private static ClusterConnection kubectl(NamedContext named, String server, boolean insecure, AuthInfo user,
            KubeconfigPolicy policy) throws DeployException {
        String authKind = user.getExec() != null ? "exec command " + user.getExec().getCommand()
                : user.getAuthProvider() != null ? "auth-provider " + user.getAuthProvider().getName()
                : "kubeconfig files";
        io.fabric8.kubernetes.client.Config config;
        try {
            config = io.fabric8.kubernetes.client.Config.fromKubeconfig(named.getName(),
                    policy.kubeconfigFile().toFile());
        } catch (RuntimeException e) {
            throw new DeployException(policy.frontEnd() + " could not get the credentials of the kubeconfig "
                    + policy.kubeconfigFile() + " (context '" + named.getName() + "', " + authKind + "): "
                    + firstLine(e) + ".");
        }
        if (blankToNull(user.getToken()) == null && blankToNull(user.getTokenFile()) != null) {
            config.setAutoOAuthToken(readTokenFile(user.getTokenFile(), named, policy));
        }
        if (user.getExec() != null && blankToNull(config.getAutoOAuthToken()) == null
                && blankToNull(config.getClientCertData()) == null) {
            throw new DeployException("The kubeconfig's user '" + named.getContext().getUser() + "' runs the command '"
                    + user.getExec().getCommand() + "' for its credentials, but it gave neither a token nor a client"
                    + " certificate. Expected the command to print an ExecCredential of apiVersion "
                    + user.getExec().getApiVersion() + "; run it by hand to see why not.");
        }
        return ClusterConnection.ofKubectlConfig(server, insecure, blankToNull(named.getContext().getNamespace()),
                config, authKind);
    }

    /** fabric8 does not read {@code tokenFile}; kubectl does, relative to the kubeconfig's folder. */
    private static String readTokenFile(String tokenFile, NamedContext named, KubeconfigPolicy policy)
            throws DeployException {
        Path folder = policy.kubeconfigFile().toAbsolutePath().getParent();
        Path path = folder == null ? Path.of(tokenFile.strip()) : folder.resolve(tokenFile.strip());
        try {
            if (Files.size(path) > MAX_CHARS) {
                throw new DeployException("The token file " + path + " of the kubeconfig's user '"
                        + named.getContext().getUser() + "' is larger than " + MAX_CHARS + " bytes.");
            }
            String token = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new DeployException("The token file " + path + " of the kubeconfig's user '"
                        + named.getContext().getUser() + "' is empty. Expected a bearer token.");
            }
            return token;
        } catch (IOException e) {
            throw new DeployException(policy.frontEnd() + " cannot read the token file " + path + " of the"
                    + " kubeconfig's user '" + named.getContext().getUser() + "': " + e.getClass().getSimpleName()
                    + ".");
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

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
