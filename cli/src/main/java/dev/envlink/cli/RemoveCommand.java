package dev.envlink.cli;

import dev.envlink.cache.config.Env;
import dev.envlink.env.InstallReport;
import dev.envlink.env.Installer;
import dev.envlink.link.LinkOptions;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** envlink remove: take packages out of a prefix. */
@Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Removes packages (by name) from the environment at --prefix, as one transaction. A file "
                + "that the removed package had clobbered is restored from the package that owned it before.",
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP})
final class RemoveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--prefix"}, required = true, paramLabel = "DIR", description = "The environment.")
    Path prefix;

    @Parameters(paramLabel = "NAME", arity = "1..*", description = "Package names.")
    List<String> names;

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    @Mixin
    LinkModeOptions link;

    @Mixin
    CacheOptions cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(prefix.resolve("conda-meta"))) {
            throw new NoSuchFileException(prefix.toString(), null, "not an environment (no conda-meta/)");
        }
        LinkOptions options = link.options(cache.config(Env.system()).linkMode());
        Installer installer = new Installer(options, Version.get(), "envlink remove " + String.join(" ", names));
        InstallReport r = installer.remove(prefix, names, dryRun);
        var out = spec.commandLine().getOut();
        if (json.json) {
            Json.print(out, InstallView.json(r, options, null));
        } else {
            InstallView.text(out, r);
        }
        return ExitCodes.OK;
    }
}
