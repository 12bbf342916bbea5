package heromgr.proc.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Group membership as the group database (NSS: /etc/group, LDAP, systemd-userdb) says it, through libc: who may
 * reach the daemon by its operator or viewer group.
 */
public final class Groups {
    private static final MethodHandle GETGROUPLIST = Libc.downcall("getgrouplist", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    /** More groups than any account has; getgrouplist says so when there are more, and then we ask again. */
    private static final int FIRST_GUESS = 64;

    private Groups() {
    }

    /** A group's gid by name or number (a number is taken as is); empty when there is no such group. */
    public static Optional<Integer> id(String nameOrId) {
        return Accounts.groupId(nameOrId);
    }

    /** Whether the user belongs to the group: as its primary group, or listed as a member. False for an unknown user. */
    public static boolean hasMember(int gid, String user) {
        Optional<Accounts.User> account = Accounts.user(user);
        if (account.isEmpty()) return false;
        if (account.get().gid() == gid) return true;
        int room = FIRST_GUESS;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(account.get().name());
            while (true) {
                MemorySegment groups = arena.allocate(ValueLayout.JAVA_INT, room);
                MemorySegment count = arena.allocateFrom(ValueLayout.JAVA_INT, room);
                int found = (int) GETGROUPLIST.invokeExact(name, account.get().gid(), groups, count);
                int n = count.get(ValueLayout.JAVA_INT, 0);
                if (found < 0 && n > room) {
                    room = n;
                    continue;
                }
                for (int i = 0; i < Math.min(n, room); i++) {
                    if (groups.getAtIndex(ValueLayout.JAVA_INT, i) == gid) return true;
                }
                return false;
            }
        } catch (Throwable t) {
            throw new IllegalStateException("getgrouplist failed", t);
        }
    }
}
