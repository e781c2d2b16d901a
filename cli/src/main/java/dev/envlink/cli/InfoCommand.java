package dev.envlink.cli;

import dev.envlink.link.Availability;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkProvider;
import dev.envlink.link.LinkProviders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** envlink info: version, providers and why any is unavailable, Java and OS. */
@Command(name = "info", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Shows the envlink version, the link providers found and whether each is available "
                + "(with the cause when not), the Java runtime and the OS.",
            "With --prefix: the cache location and the rule that chose it, the filesystem of the cache and of "
                    + "the prefix, the method installs will use there (tested, not guessed) and advice."},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP})
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    JsonOption json;

    @picocli.CommandLine.Option(names = {"-p", "--prefix"}, paramLabel = "DIR",
            description = "An environment (need not exist yet): report how installs into it will place files.")
    java.nio.file.Path prefix;

    @Mixin
    CacheOptions cache;

    @Mixin
    LinkModeOptions link;

    @Override
    public Integer call() throws java.io.IOException {
        if (prefix != null) {
            return new PrefixInfo(spec, cache, link, json.json).show(prefix);
        }
        LinkProviders providers = LinkProviders.discover();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Version.get());
        m.put("java", Map.of("version", System.getProperty("java.version"),
                "vendor", System.getProperty("java.vendor"), "home", System.getProperty("java.home")));
        m.put("os", Map.of("name", System.getProperty("os.name"), "version", System.getProperty("os.version"),
                "arch", System.getProperty("os.arch")));
        m.put("noNative", dev.envlink.link.NativeGate.disabled());
        List<Map<String, Object>> list = new ArrayList<>();
        for (LinkProvider p : providers.all()) {
            Availability a = LinkProviders.safeAvailability(p);
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("id", p.id());
            pm.put("class", p.getClass().getName());
            pm.put("priority", p.priority());
            pm.put("methods", p.methods().stream().map(LinkMethod::label).toList());
            pm.put("available", a.available());
            pm.put("cause", a.cause());
            list.add(pm);
        }
        m.put("providers", list);
        m.put("loadFailures", providers.loadFailures().stream().map(LinkProviders.LoadFailure::description).toList());
        var out = spec.commandLine().getOut();
        if (json.json) {
            Json.print(out, m);
            return ExitCodes.OK;
        }
        out.println("envlink " + Version.get());
        out.println("java    " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")");
        out.println("os      " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        if (dev.envlink.link.NativeGate.disabled()) {
            out.println("native  disabled by -Denvlink.noNative=true");
        }
        out.println("providers (highest priority first):");
        for (LinkProvider p : providers.all()) {
            Availability a = LinkProviders.safeAvailability(p);
            String methods = p.methods().stream().map(LinkMethod::label).collect(Collectors.joining(", "));
            out.printf("  %-9s priority %3d  %-11s  %s%n", p.id(), p.priority(),
                    a.available() ? "available" : "unavailable", methods);
            if (!a.available()) {
                out.println("            cause: " + a.cause());
            }
        }
        for (LinkProviders.LoadFailure f : providers.loadFailures()) {
            out.println("  failed to load: " + f.description());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
