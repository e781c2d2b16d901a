package dev.envlink.link;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** The rwx bits of a Unix mode as NIO permissions (one shared, immutable set per value). */
public final class ModeBits {
    private static final PosixFilePermission[] BY_BIT = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Set<PosixFilePermission>[] SETS = new Set[512];

    static {
        for (int mode = 0; mode < 512; mode++) {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            for (int b = 0; b < 9; b++) {
                if ((mode & (1 << b)) != 0) {
                    set.add(BY_BIT[b]);
                }
            }
            SETS[mode] = Set.copyOf(set);
        }
    }

    private ModeBits() {
    }

    /** The permissions of {@code mode & 0777} (bit 0 = others execute ... bit 8 = owner read). */
    public static Set<PosixFilePermission> permissions(int mode) {
        return SETS[mode & 0777];
    }
}
