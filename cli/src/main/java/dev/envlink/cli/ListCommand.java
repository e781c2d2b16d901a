package dev.envlink.cli;

import dev.envlink.env.Installer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** envlink list: the packages of a prefix, from its conda-meta records. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Lists the packages installed in the environment at --prefix (conda-meta records, whoever wrote them).",
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP})
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--prefix"}, required = true, paramLabel = "DIR", description = "The environment.")
    Path prefix;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        Path meta = prefix.resolve("conda-meta");
        if (!Files.isDirectory(meta)) {
            throw new NoSuchFileException(prefix.toString(), null, "not an environment (no conda-meta/)");
        }
        String recovered = new Installer(dev.envlink.link.LinkOptions.defaults(), Version.get(), "envlink list")
                .recover(prefix);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(meta, "*.json")) {
            for (Path f : s) {
                if (f.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (!(dev.envlink.cache.meta.JsonTrees.readValue(Files.readAllBytes(f)) instanceof Map<?, ?> n)) {
                    throw new IOException(f + ": not a conda-meta record (no JSON object)");
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (String key : List.of("name", "version", "build", "channel")) {
                    row.put(key, n.get(key) instanceof String v ? v : "");
                }
                row.put("files", n.get("files") instanceof List<?> l ? l.size() : 0);
                row.put("methods", dev.envlink.env.RecordedMethods.of(n).counts());
                rows.add(row);
            }
        }
        rows.sort((a, b) -> a.get("name").toString().compareTo(b.get("name").toString()));
        var out = spec.commandLine().getOut();
        if (json.json) {
            Json.print(out, Map.of("prefix", prefix.toAbsolutePath().toString(), "packages", rows));
            return ExitCodes.OK;
        }
        if (!recovered.isEmpty()) {
            out.println("note: " + recovered);
        }
        for (Map<String, Object> r : rows) {
            out.printf("%-30s %-15s %-25s %s%n", r.get("name"), r.get("version"), r.get("build"), r.get("methods"));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
