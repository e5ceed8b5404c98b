package io.jenkins.plugins.k8sdeploy.jenkins;

import hudson.FilePath;
import io.jenkins.plugins.k8sdeploy.engine.manifest.ManifestFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Manifest files in a build's workspace, which may be on an agent. Globs are Ant-style, as elsewhere in Jenkins. */
final class WorkspaceManifestFiles implements ManifestFiles {
    private final FilePath workspace;

    WorkspaceManifestFiles(FilePath workspace) {
        this.workspace = workspace;
    }

    @Override
    public List<String> expand(String pattern) throws IOException, InterruptedException {
        FilePath direct = workspace.child(pattern);
        if (direct.exists() && !direct.isDirectory()) {
            return List.of(pattern);
        }
        FilePath[] files = direct.isDirectory()
                ? direct.list("*.yaml,*.yml,*.json")
                : workspace.list(pattern);
        List<String> names = new ArrayList<>();
        String base = workspace.getRemote();
        for (FilePath f : files) {
            String remote = f.getRemote();
            names.add(remote.startsWith(base) ? remote.substring(base.length() + 1).replace('\\', '/') : remote);
        }
        names.sort(null);
        return names;
    }

    @Override
    public String read(String file, int maxChars) throws IOException, InterruptedException {
        try (InputStream in = workspace.child(file).read()) {
            return new String(in.readNBytes(maxChars + 1), StandardCharsets.UTF_8);
        }
    }

}
