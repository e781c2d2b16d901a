package dev.envlink.cli;

import dev.envlink.link.FsInfo;
import dev.envlink.link.LinkProvider;
import dev.envlink.link.LinkProviders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Asks the available providers, best first, what filesystem a path is on. */
final class FsDescriber {
    private FsDescriber() {
    }

    static FsInfo describe(LinkProviders providers, Path path) throws IOException {
        IOException last = null;
        for (LinkProvider p : providers.available()) {
            try {
                Optional<FsInfo> info = p.describe(path);
                if (info.isPresent()) {
                    return info.get();
                }
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        return new FsInfo("unknown", "", "", "");
    }
}
