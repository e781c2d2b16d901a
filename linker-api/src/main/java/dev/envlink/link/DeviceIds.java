package dev.envlink.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/** The device a path lives on, as a string key: st_dev on Unix, the file store name elsewhere. */
public final class DeviceIds {
    private static final boolean LINUX =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");

    private DeviceIds() {
    }

    public static String of(Path path) throws IOException {
        try {
            Object dev = Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            if (dev instanceof Long l) {
                return LINUX ? linuxMajorMinor(l) : Long.toString(l);
            }
            return String.valueOf(dev);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return volumeKey(Files.getFileStore(path));
        }
    }

    /**
     * Windows: the volume serial number ("volume:vsn"), since two volumes may share a label (or
     * have none); the store name only where no serial is offered.
     */
    static String volumeKey(java.nio.file.FileStore store) {
        try {
            Object vsn = store.getAttribute("volume:vsn");
            if (vsn instanceof Integer i) {
                return String.format("%08x", i);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException ignored) {
            // Not a Windows store: fall back to its name.
        }
        return store.name();
    }

    /** glibc's encoding of dev_t, shown as "major:minor" like /proc/self/mountinfo does. */
    static String linuxMajorMinor(long dev) {
        long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xfffff000L);
        long minor = (dev & 0xffL) | ((dev >>> 12) & 0xffffff00L);
        return major + ":" + minor;
    }
}
