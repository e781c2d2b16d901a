package dev.envlink.env;

import dev.envlink.cache.PackageCache;
import dev.envlink.link.ExistingPolicy;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import java.nio.file.Path;
import java.util.List;

/** Installs one archive in a separate process (copy mode, one thread: slow enough to be killed). */
public final class InstallMain {
    private InstallMain() {
    }

    public static void main(String[] args) throws Exception {
        PackageCache cache = PackageCache.open(Path.of(args[0]));
        var entry = cache.add(PackageCache.AddRequest.of(Path.of(args[2]))).entry();
        System.out.println("EXTRACTED");
        System.out.flush();
        Installer installer = new Installer(new LinkOptions(LinkMode.COPY, false, ExistingPolicy.FAIL, 1), "test",
                "envlink install (child)");
        installer.install(Path.of(args[1]), List.of(new Installer.Request(entry, "big")), false);
        System.out.println("INSTALLED");
    }
}
