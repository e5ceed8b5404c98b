package io.jenkins.plugins.k8sdeploy.jenkins;

import io.jenkins.plugins.k8sdeploy.engine.base.DeployException;
import io.jenkins.plugins.k8sdeploy.engine.kube.ClusterConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a step's {@code cluster: 'prod'} combines with the clusters an administrator named in the global configuration.
 * Plain Java (no Jenkins type), so it is tested offline; {@link NamedCluster} and {@link ClusterCredentials} are the
 * Jenkins side.
 *
 * <p>The named cluster gives where the cluster is (serverUrl, caCertificate) and, when the step gives none, the
 * credential and the namespace. A step's own serverUrl or caCertificate must agree with the named cluster's: a step
 * cannot point a named credential somewhere else.
 */
final class NamedClusters {
    /** Letters, digits, '.', '_' and '-', starting with a letter or digit: safe in a Jenkinsfile and a URL. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private NamedClusters() {}

    /** One cluster of the global configuration, in plain values; blank values are {@code null}. */
    record Definition(String name, String serverUrl, String caCertificate, String credentialsId, String namespace) {
        Definition {
            name = blank(name);
            serverUrl = blank(serverUrl);
            caCertificate = blank(caCertificate);
            credentialsId = blank(credentialsId);
            namespace = blank(namespace);
        }
    }

    /** What a step reaches: where, with which credential and context, and the namespace for objects naming none. */
    record Resolved(String credentialsId, String serverUrl, String caCertificate, String context, String cluster,
            String namespace) implements ClusterTarget {
        @Override
        public String getCredentialsId() {
            return credentialsId;
        }

        @Override
        public String getServerUrl() {
            return serverUrl;
        }

        @Override
        public String getCaCertificate() {
            return caCertificate;
        }

        @Override
        public String getContext() {
            return context;
        }

        @Override
        public String getCluster() {
            return cluster;
        }
    }

    /**
     * Applies the step's {@code cluster} to its own settings. Without one, the step's settings are used as given (no
     * default namespace).
     *
     * @param defined the configured clusters; only read when the step names one
     * @throws DeployException for an unknown name (listing the configured ones) or a contradicting serverUrl or
     *     caCertificate
     */
    static Resolved resolve(ClusterTarget step, List<Definition> defined) throws DeployException {
        String name = blank(step.getCluster());
        if (name == null) {
            return new Resolved(blank(step.getCredentialsId()), blank(step.getServerUrl()),
                    blank(step.getCaCertificate()), blank(step.getContext()), null, null);
        }
        Definition d = find(name, defined);
        if (d.serverUrl() == null) {
            throw new DeployException(Messages.NamedClusters_serverMissing(name));
        }
        String ownServer = blank(step.getServerUrl());
        if (ownServer != null && !sameServer(ownServer, d.serverUrl())) {
            throw new DeployException(Messages.NamedClusters_serverContradicts(name,
                    ClusterConnection.shownUrl(d.serverUrl()), ClusterConnection.shownUrl(ownServer)));
        }
        String ownCa = blank(step.getCaCertificate());
        if (ownCa != null && d.caCertificate() != null && !samePem(ownCa, d.caCertificate())) {
            throw new DeployException(Messages.NamedClusters_caContradicts(name));
        }
        String credentialsId = blank(step.getCredentialsId()) != null ? blank(step.getCredentialsId())
                : d.credentialsId();
        if (credentialsId == null) {
            throw new DeployException(Messages.NamedClusters_noCredentials(name));
        }
        String ca = d.caCertificate() != null ? d.caCertificate() : ownCa;
        return new Resolved(credentialsId, d.serverUrl(), ca, blank(step.getContext()), d.name(), d.namespace());
    }

    /** The namespace of the configured cluster {@code name}, or null when it sets none. */
    static String namespace(String name, List<Definition> defined) throws DeployException {
        return find(name, defined).namespace();
    }

    /** The configured cluster with that name (exactly as written); else an error listing the configured names. */
    static Definition find(String name, List<Definition> defined) throws DeployException {
        List<Definition> all = defined == null ? List.of() : defined;
        for (Definition d : all) {
            if (name.equals(d.name())) {
                return d;
            }
        }
        String names = all.stream().map(Definition::name).sorted().map(n -> "'" + n + "'")
                .collect(Collectors.joining(", "));
        throw new DeployException(names.isEmpty() ? Messages.NamedClusters_noneConfigured(name)
                : Messages.NamedClusters_unknown(name, names));
    }

    /**
     * What is wrong with a list of clusters for the global configuration, or {@code null}: every one needs a valid
     * name (unique) and an https serverUrl; a caCertificate must be PEM.
     */
    static String problem(List<Definition> defined) {
        Set<String> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Definition d : defined) {
            String label = d.name() == null ? "(no name)" : d.name();
            if (d.name() == null || !NAME.matcher(d.name()).matches()) {
                problems.add(Messages.NamedClusters_badName(label));
            } else if (!seen.add(d.name().toLowerCase(Locale.ROOT))) {
                problems.add(Messages.NamedClusters_duplicate(d.name()));
            }
            String server = serverProblem(d.serverUrl());
            if (server != null) {
                problems.add(label + ": " + server);
            }
            String ca = caProblem(d.caCertificate());
            if (ca != null) {
                problems.add(label + ": " + ca);
            }
        }
        return problems.isEmpty() ? null : String.join(" ", problems);
    }

    /** A named cluster's serverUrl is required: it is what the name stands for. */
    static String serverProblem(String serverUrl) {
        if (blank(serverUrl) == null) {
            return Messages.NamedClusters_serverRequired();
        }
        try {
            ClusterConnection.checkServerUrl(serverUrl.strip());
            return null;
        } catch (DeployException e) {
            return e.getMessage();
        }
    }

    /** Blank is fine (the JVM's CAs); else it must read as PEM certificates. */
    static String caProblem(String caCertificate) {
        if (blank(caCertificate) == null) {
            return null;
        }
        return caCertificate.contains("-----BEGIN CERTIFICATE-----") ? null : Messages.NamedClusters_caNotPem();
    }

    static String nameProblem(String name) {
        String n = blank(name);
        if (n == null || !NAME.matcher(n).matches()) {
            return Messages.NamedClusters_badName(n == null ? "(no name)" : n);
        }
        return null;
    }

    private static boolean sameServer(String a, String b) {
        return strip(a).equalsIgnoreCase(strip(b));
    }

    private static String strip(String url) {
        String u = url.strip();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private static boolean samePem(String a, String b) {
        return a.replaceAll("\\s", "").equals(b.replaceAll("\\s", ""));
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
