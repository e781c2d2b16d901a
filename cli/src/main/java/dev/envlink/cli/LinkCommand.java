package dev.envlink.cli;

import dev.envlink.link.ExistingPolicy;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.LinkReport;
import dev.envlink.link.Linker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** envlink link SRC DST: place a file or a whole tree by the best method. */
@Command(name = "link", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Links SRC (a file or a directory tree, like cp -r) to DST by reflink, hardlink or copy.",
            "auto tries reflink, then hardlink, then copy. A named mode falls back to copy only, "
                    + "unless --strict forbids any fallback.",
            "Prints files and bytes per method actually used, and every fallback with its reason."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.STRICT_HELP})
final class LinkCommand implements Callable<Integer> {

    /** The modes offered on the command line (symlinks into a cache are not offered: edits would leak). */
    enum Mode {
        auto(LinkMode.AUTO), reflink(LinkMode.REFLINK), hardlink(LinkMode.HARDLINK), copy(LinkMode.COPY);

        final LinkMode mode;

        Mode(LinkMode mode) {
            this.mode = mode;
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC", description = "Source file or directory.")
    Path source;

    @Parameters(index = "1", paramLabel = "DST", description = "Destination path (a new file, or a directory to fill).")
    Path target;

    @Option(names = {"-m", "--mode"}, defaultValue = "auto",
            description = "auto, reflink, hardlink or copy (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--strict", description = "Fail (exit 3) instead of falling back when the mode's method is not possible.")
    boolean strict;

    @Option(names = "--replace", description = "Replace existing destination files atomically (default: fail on them).")
    boolean replace;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Files linked in parallel (default: ${DEFAULT-VALUE}).")
    int jobs = LinkOptions.defaultParallelism();

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        if (strict && mode == Mode.auto) {
            throw new IllegalArgumentException("--strict needs --mode reflink, hardlink or copy");
        }
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(source.toString(), null, "source does not exist");
        }
        LinkOptions options = new LinkOptions(mode.mode, strict, replace ? ExistingPolicy.REPLACE : ExistingPolicy.FAIL,
                jobs);
        LinkReport report = Linker.create(options).linkTree(source, target);
        var out = spec.commandLine().getOut();
        if (json.json) {
            Json.print(out, ReportView.of(source, target, options, report));
        } else {
            ReportView.printText(out, source, target, report);
        }
        return ExitCodes.OK;
    }
}
