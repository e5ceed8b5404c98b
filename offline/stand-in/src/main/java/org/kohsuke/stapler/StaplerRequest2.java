package org.kohsuke.stapler;

public interface StaplerRequest2 {
    <T> T bindJSON(Class<T> type, net.sf.json.JSONObject src);
}
