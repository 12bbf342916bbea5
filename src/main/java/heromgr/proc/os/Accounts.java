package heromgr.proc.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * User and group lookups through libc (getpwnam/getgrnam), so NSS sources (LDAP, systemd-userdb) count the same
 * way setpriv will see them, and the daemon's own effective ids. x86_64/aarch64 glibc layouts.
 */
final class Accounts {
    /** A resolved user: its uid and primary gid. */
    record User(String name, int uid, int gid) {
    }

    private static final MethodHandle GETEUID = Libc.downcall("geteuid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle GETEGID = Libc.downcall("getegid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle GETPWNAM = Libc.downcall("getpwnam", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle GETPWUID = Libc.downcall("getpwuid", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle GETGRNAM = Libc.downcall("getgrnam", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }; struct group { char*, char*, gid_t, ... }
    private static final long PW_UID = 16;
    private static final long PW_GID = 20;
    private static final long GR_GID = 16;


    private Accounts() {
    }

    static int effectiveUid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("geteuid failed", t);
        }
    }

    static int effectiveGid() {
        try {
            return (int) GETEGID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("getegid failed", t);
        }
    }

    /** A user by name or numeric id. getpw* share one static buffer, hence synchronized. */
    @SuppressWarnings("restricted")
    static synchronized Optional<User> user(String nameOrId) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pw = isNumeric(nameOrId)
                    ? (MemorySegment) GETPWUID.invokeExact(Integer.parseInt(nameOrId))
                    : (MemorySegment) GETPWNAM.invokeExact(arena.allocateFrom(nameOrId));
            if (pw.equals(MemorySegment.NULL)) return Optional.empty();
            MemorySegment s = pw.reinterpret(PW_GID + 4);
            String name = s.get(ValueLayout.ADDRESS, 0).reinterpret(Long.MAX_VALUE).getString(0);
            return Optional.of(new User(name, s.get(ValueLayout.JAVA_INT, PW_UID), s.get(ValueLayout.JAVA_INT, PW_GID)));
        } catch (Throwable t) {
            throw new IllegalStateException("getpwnam failed", t);
        }
    }

    /** A group's gid by name or numeric id (a number is taken as is, as setpriv does). */
    @SuppressWarnings("restricted")
    static synchronized Optional<Integer> groupId(String nameOrId) {
        if (isNumeric(nameOrId)) return Optional.of(Integer.parseInt(nameOrId));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment gr = (MemorySegment) GETGRNAM.invokeExact(arena.allocateFrom(nameOrId));
            if (gr.equals(MemorySegment.NULL)) return Optional.empty();
            return Optional.of(gr.reinterpret(GR_GID + 4).get(ValueLayout.JAVA_INT, GR_GID));
        } catch (Throwable t) {
            throw new IllegalStateException("getgrnam failed", t);
        }
    }

    private static boolean isNumeric(String s) {
        return !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
    }
}
