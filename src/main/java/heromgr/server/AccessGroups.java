package heromgr.server;

/**
 * The groups `heromgr daemon --operator-group G --viewer-group G` names (either may be null): members of the first
 * operate like the daemon's own user, members of the second may only read.
 */
public record AccessGroups(String operatorGroup, String viewerGroup) {
    public static final AccessGroups NONE = new AccessGroups(null, null);
}
