package heromgr.proc.os;

import heromgr.proc.ActionSpec;
import heromgr.proc.SupervisorException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The identity an action runs under when it is not the daemon's own: what setpriv(1) is told to switch to. */
public record RunAs(Integer uid, int gid, boolean initGroups) {

    /**
     * What the spec's user/group mean here: empty when the action runs as the daemon does.
     * Fails (naming the action) for an unknown user or group, and for a different identity when the daemon is not root.
     */
    public static Optional<RunAs> of(ActionSpec spec) {
        if (spec.user() == null && spec.group() == null) return Optional.empty();
        Accounts.User user = spec.user() == null ? null : Accounts.user(spec.user())
                .orElseThrow(() -> new SupervisorException("action " + spec.name() + ": no such user " + spec.user()));
        int gid = spec.group() != null
                ? Accounts.groupId(spec.group()).orElseThrow(() -> new SupervisorException("action " + spec.name() + ": no such group " + spec.group()))
                : user != null ? user.gid() : Accounts.effectiveGid();
        int euid = Accounts.effectiveUid();
        boolean sameUser = user == null || user.uid() == euid;
        boolean sameGroup = gid == Accounts.effectiveGid();
        if (sameUser && sameGroup) return Optional.empty();
        if (euid != 0) {
            String who = !sameUser ? "user " + spec.user() : "group " + spec.group();
            throw new SupervisorException("action " + spec.name() + ": running as " + who + " needs the daemon to run as root");
        }
        return Optional.of(new RunAs(user == null ? null : user.uid(), gid, user != null));
    }

    /** --init-groups takes the user's supplementary groups; with only a group switched, none of root's are kept either. */
    public List<String> setprivArgs() {
        var args = new ArrayList<String>(3);
        if (uid != null) args.add("--reuid=" + uid);
        args.add("--regid=" + gid);
        args.add(initGroups ? "--init-groups" : "--clear-groups");
        return args;
    }
}
