package heromgr.proc.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * A POSIX access ACL (setxattr "system.posix_acl_access"), so that more than one group may use a file while its mode
 * stays owner + group + nothing for others: the daemon's socket (0660) and its folder (0750) opened to its operator
 * and viewer groups. The owner may set it whatever groups it belongs to; the file's own group keeps the mode's group
 * bits, the named groups get the same, and the mask is those bits too, so `ls -l` shows the mode unchanged (with a +).
 */
public final class GroupAcl {
    private static final MethodHandle SETXATTR = Libc.downcall("setxattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final String NAME = "system.posix_acl_access";
    // include/uapi/linux/posix_acl_xattr.h: a version, then entries {u16 tag, u16 perm, u32 id}, sorted by tag then id
    private static final int VERSION = 2;
    private static final short USER_OBJ = 0x01;
    private static final short GROUP_OBJ = 0x04;
    private static final short GROUP = 0x08;
    private static final short MASK = 0x10;
    private static final short OTHER = 0x20;
    private static final int UNDEFINED_ID = -1;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private GroupAcl() {
    }

    /**
     * Gives each of gids (sorted, distinct) the group permission bits groupPerms (0-7) on file; the owner gets ownerPerms,
     * the file's group groupPerms, others nothing.
     * @throws IOException naming the file and errno when the filesystem refuses (EOPNOTSUPP: no ACLs there)
     */
    public static void grant(Path file, int ownerPerms, int groupPerms, List<Integer> gids) throws IOException {
        int entries = 4 + gids.size();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment acl = arena.allocate(4 + 8L * entries);
            acl.set(U32, 0, VERSION);
            long at = 4;
            at = entry(acl, at, USER_OBJ, ownerPerms, UNDEFINED_ID);
            at = entry(acl, at, GROUP_OBJ, groupPerms, UNDEFINED_ID);
            for (int gid : gids) at = entry(acl, at, GROUP, groupPerms, gid);
            at = entry(acl, at, MASK, groupPerms, UNDEFINED_ID);
            entry(acl, at, OTHER, 0, UNDEFINED_ID);
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            int rc = (int) SETXATTR.invokeExact(state, arena.allocateFrom(file.toString()), arena.allocateFrom(NAME), acl,
                    acl.byteSize(), 0);
            if (rc != 0) {
                throw new IOException("cannot give groups " + gids + " access to " + file + " (POSIX ACL): errno "
                        + (int) Libc.ERRNO.get(state, 0L));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setxattr downcall failed", t);
        }
    }

    private static long entry(MemorySegment acl, long at, short tag, int perms, int id) {
        acl.set(U16, at, tag);
        acl.set(U16, at + 2, (short) perms);
        acl.set(U32, at + 4, id);
        return at + 8;
    }
}
