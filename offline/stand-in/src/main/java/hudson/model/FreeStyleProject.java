package hudson.model;

public class FreeStyleProject extends Project<FreeStyleProject, FreeStyleBuild> implements TopLevelItem {
    public FreeStyleProject(ItemGroup parent, String name) {
        super(parent, name);
    }
}
