package dev.envlink.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.PackageCache;
import dev.envlink.testing.conda.CondaPackageBuilder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package needs a directory where the prefix has a symlink to a directory (lib64 -> lib): the
 * symlink goes to the backup and a real directory replaces it. What the symlink pointed at must
 * not be touched: a file below it is not "in the way" of the package's file (it is not at that
 * path once the symlink is gone), so it must be neither moved nor lost.
 */
class PrefixSymlinkTest {
    @TempDir
    Path tmp;

    @Test
    void filesBehindAReplacedSymlinkAreLeftAlone() throws Exception {
        Path channel = Files.createDirectories(tmp.resolve("channel"));
        Path archive = CondaPackageBuilder.create("sixty-four", "1.0", "0")
                .file("lib64/libx.so", "the package's libx\n")
                .writeConda(channel);
        Path prefix = Files.createDirectories(tmp.resolve("env"));
        Files.createDirectories(prefix.resolve("lib"));
        Files.writeString(prefix.resolve("lib/libx.so"), "the user's libx\n");
        Files.createSymbolicLink(prefix.resolve("lib64"), Path.of("lib"));

        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        CacheEntry e = cache.add(PackageCache.AddRequest.of(archive)).entry();
        new Installer(dev.envlink.link.LinkOptions.defaults(), "test", "envlink test")
                .install(prefix, List.of(new Installer.Request(e, "sixty-four")), false);

        assertTrue(Files.isDirectory(prefix.resolve("lib64"), LinkOption.NOFOLLOW_LINKS), "a real directory now");
        assertEquals("the package's libx\n", Files.readString(prefix.resolve("lib64/libx.so")));
        assertEquals("the user's libx\n", Files.readString(prefix.resolve("lib/libx.so")), "never moved or lost");
        assertFalse(Files.exists(prefix.resolve("conda-meta/.envlink-backup")), "backup dropped at commit");
    }
}
