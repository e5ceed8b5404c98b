package org.jvnet.hudson.test;

import jenkins.model.Jenkins;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Queue;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TopLevelItem;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import org.htmlunit.Page;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.xml.sax.SAXException;
import jenkins.model.ParameterizedJobMixIn;

public class JenkinsRule {
    public <T extends TopLevelItem> T createProject(Class<T> type, String name) throws IOException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public FreeStyleProject createFreeStyleProject(String name) throws IOException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public HtmlPage submit(HtmlForm form) throws Exception {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public void configRoundtrip() throws Exception {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public <P extends Item> P configRoundtrip(P job) throws Exception {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    @NonNull
    public <J extends Job<J, R> & ParameterizedJobMixIn.ParameterizedJob<J, R>, R extends Run<J, R> & Queue.Executable>
            R buildAndAssertStatus(@NonNull Result status, @NonNull J job) throws Exception {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    @NonNull
    public <J extends Job<J, R> & ParameterizedJobMixIn.ParameterizedJob<J, R>, R extends Run<J, R> & Queue.Executable>
            R buildAndAssertSuccess(@NonNull J job) throws Exception {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public java.net.URL getURL() throws IOException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public void assertLogContains(String substring, Run run) throws IOException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public void assertLogNotContains(String substring, Run run) throws IOException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public void assertEqualDataBoundBeans(Object lhs, Object rhs)
            throws InvocationTargetException, NoSuchMethodException, IllegalAccessException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public Jenkins jenkins;

    public <R extends Run<?, ?>> R waitForMessage(String message, R r) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public <R extends Run<?, ?>> R waitForCompletion(R r) throws InterruptedException {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public <R extends Run> R assertBuildStatus(Result status, R r) throws Exception {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public DummySecurityRealm createDummySecurityRealm() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public static class DummySecurityRealm extends hudson.security.SecurityRealm {
        private DummySecurityRealm() {}

        public void addGroups(String username, String... groups) {
            throw new UnsupportedOperationException("compile-only stand-in");
        }
    }

    public WebClient createWebClient() {
        throw new UnsupportedOperationException("compile-only stand-in");
    }

    public class WebClient extends org.htmlunit.WebClient {
        public WebClient() {
            throw new UnsupportedOperationException("compile-only stand-in");
        }

        public HtmlPage getPage(Run r) throws IOException, SAXException {
            throw new UnsupportedOperationException("compile-only stand-in");
        }

        public HtmlPage getPage(Run r, String relative) throws IOException, SAXException {
            throw new UnsupportedOperationException("compile-only stand-in");
        }

        public HtmlPage getPage(Item item) throws IOException, SAXException {
            throw new UnsupportedOperationException("compile-only stand-in");
        }

        public HtmlPage goTo(String relative) throws IOException, SAXException {
            throw new UnsupportedOperationException("compile-only stand-in");
        }

        public Page goTo(String relative, @CheckForNull String expectedContentType) throws IOException, SAXException {
            throw new UnsupportedOperationException("compile-only stand-in");
        }

        public WebClient login(String username) throws Exception {
            throw new UnsupportedOperationException("compile-only stand-in");
        }

        public java.net.URL createCrumbedUrl(String relativePath) throws IOException {
            throw new UnsupportedOperationException("compile-only stand-in");
        }

        public void assertFails(String url, int statusCode) throws Exception {
            throw new UnsupportedOperationException("compile-only stand-in");
        }
    }
}
