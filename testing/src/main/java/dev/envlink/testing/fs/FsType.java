package dev.envlink.testing.fs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Filesystems {@link LoopMount} can create. Each constant knows how to format an image and what
 * the kernel will report for it, so tests can assert they really got the filesystem they asked for.
 */
public enum FsType {
    BTRFS("btrfs", "btrfs", true, 256, "mkfs.btrfs", "-q", "-f"),
    /** Modern mkfs.xfs refuses filesystems smaller than 300 MB, hence 320 MiB. */
    XFS("xfs", "xfs", true, 320, "mkfs.xfs", "-q", "-f", "-m", "reflink=1"),
    /** XFS formatted without reflink support: the "same filesystem, but clone fails" case. */
    XFS_NO_REFLINK("xfs", "xfs (reflink=0)", false, 320, "mkfs.xfs", "-q", "-f", "-m", "reflink=0"),
    EXT4("ext4", "ext4", false, 128, "mkfs.ext4", "-q", "-F");

    private static final long MIB = 1024L * 1024L;

    private final String kernelType;
    private final String label;
    private final boolean supportsReflink;
    private final long defaultSizeMiB;
    private final List<String> mkfsArgs;

    FsType(String kernelType, String label, boolean supportsReflink, long defaultSizeMiB, String... mkfsArgs) {
        this.kernelType = kernelType;
        this.label = label;
        this.supportsReflink = supportsReflink;
        this.defaultSizeMiB = defaultSizeMiB;
        this.mkfsArgs = List.of(mkfsArgs);
    }

    /** The name the kernel uses: the {@code mount -t} argument and {@code FileStore.type()}. */
    public String kernelType() {
        return kernelType;
    }

    /** Human-readable name for log lines; distinguishes the two XFS variants. */
    public String label() {
        return label;
    }

    public boolean supportsReflink() {
        return supportsReflink;
    }

    public long defaultSizeBytes() {
        return defaultSizeMiB * MIB;
    }

    /** The mkfs executable name, e.g. {@code mkfs.btrfs}. */
    public String mkfsTool() {
        return mkfsArgs.get(0);
    }

    /** Full mkfs command line for the given image; the first element is the bare tool name. */
    public List<String> mkfsCommand(Path image) {
        List<String> command = new ArrayList<>(mkfsArgs);
        command.add(image.toString());
        return List.copyOf(command);
    }

    /** Every executable needed to create and tear down a mount of this type. */
    public List<String> requiredTools() {
        return List.of(mkfsTool(), "losetup", "mount", "umount");
    }
}
