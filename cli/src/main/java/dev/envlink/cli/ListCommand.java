package dev.envlink.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
                JsonNode n = dev.envlink.cache.meta.JsonTrees.readTree(Files.readAllBytes(f));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", n.path("name").asText());
                row.put("version", n.path("version").asText());
                row.put("build", n.path("build").asText());
                row.put("channel", n.path("channel").asText());
                row.put("files", n.path("files").size());
                JsonNode methods = n.path("envlink").path("link_methods");
                Map<String, Integer> count = new LinkedHashMap<>();
                methods.fields().forEachRemaining(e -> count.merge(e.getValue().asText(), 1, Integer::sum));
                row.put("methods", count);
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
