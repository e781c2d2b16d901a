package dev.envlink.cli;

import dev.envlink.link.ExistingPolicy;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/** --link-mode, --strict and --jobs for commands that place files (a mixin). */
final class LinkModeOptions {
    @Option(names = "--link-mode", paramLabel = "MODE",
            description = "auto, reflink, hardlink or copy (default: the config file's link_mode, else auto).")
    String linkMode;

    @Option(names = "--strict", description = "Fail (exit 3) instead of falling back when the link mode's method is not possible.")
    boolean strict;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Parallel workers (default: one per core, at least 2, at most 16).")
    Integer jobs;

    LinkOptions options(Optional<String> configured) {
        String m = linkMode != null ? linkMode : configured.orElse("auto");
        LinkMode mode = switch (m.toLowerCase(Locale.ROOT)) {
            case "auto" -> LinkMode.AUTO;
            case "reflink" -> LinkMode.REFLINK;
            case "hardlink" -> LinkMode.HARDLINK;
            case "copy" -> LinkMode.COPY;
            default -> throw new IllegalArgumentException("--link-mode must be auto, reflink, hardlink or copy, not " + m);
        };
        if (strict && mode == LinkMode.AUTO) {
            throw new IllegalArgumentException("--strict needs --link-mode reflink, hardlink or copy");
        }
        return new LinkOptions(mode, strict, ExistingPolicy.FAIL, jobs != null ? jobs : LinkOptions.defaultParallelism());
    }
}
