package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

public interface Item extends AccessControlled {
    Permission EXTENDED_READ = null;
    Permission READ = null;
    Permission BUILD = null;
}
