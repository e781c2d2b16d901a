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
            return Files.getFileStore(path).name();
        }
    }

    /** glibc's encoding of dev_t, shown as "major:minor" like /proc/self/mountinfo does. */
    static String linuxMajorMinor(long dev) {
        long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xfffff000L);
        long minor = (dev & 0xffL) | ((dev >>> 12) & 0xffffff00L);
        return major + ":" + minor;
    }
}
