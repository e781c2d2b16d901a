package dev.envlink.cache.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envlink.cache.PackageFormatException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code info/index.json}: what the package is. Its fields are what a channel's
 * {@code repodata.json} lists for the package.
 *
 * <p>Required: {@code name}, {@code version}, {@code build} (strings) and {@code build_number}
 * (integer), as in conda and rattler. Everything else is optional; fields this record does not
 * model are kept in {@link #raw()}, which holds every field as read, in file order.
 *
 * @param noarch    null, {@code "python"} or {@code "generic"}; the legacy boolean {@code true}
 *                  is read as {@code "generic"}, {@code false} as null
 * @param timestamp as written (conda writes milliseconds since the epoch), or null
 * @param raw       every field as read, in order: strings, {@code Long}, {@code Double}, booleans,
 *                  null, and unmodifiable lists and maps of them
 */
public record IndexJson(String name, String version, String build, long buildNumber, List<String> depends,
        List<String> constrains, String license, String subdir, String platform, String arch, String noarch,
        Long timestamp, Map<String, Object> raw) {

    public static final String FILE = "index.json";

    public IndexJson {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(build, "build");
        depends = depends == null ? List.of() : List.copyOf(depends);
        constrains = constrains == null ? List.of() : List.copyOf(constrains);
        if (noarch != null && !noarch.equals("python") && !noarch.equals("generic")) {
            throw new IllegalArgumentException("noarch must be null, \"python\" or \"generic\": " + noarch);
        }
        raw = MetaFile.freezeMap(raw);
    }

    /** {@code name-version-build}, the package directory name conda uses in a cache. */
    public String dist() {
        return name + "-" + version + "-" + build;
    }

    /** Reads {@code infoDir/index.json}. */
    public static IndexJson read(Path infoDir) throws PackageFormatException {
        MetaFile f = MetaFile.in(infoDir, FILE);
        return parse(f, f.readObject());
    }

    static IndexJson parse(MetaFile f, ObjectNode o) throws PackageFormatException {
        String name = f.requiredString(o, "name", "");
        if (name.isBlank()) {
            throw f.error("field \"name\" is empty");
        }
        String version = f.requiredString(o, "version", "");
        String build = f.requiredString(o, "build", "");
        long buildNumber = f.requiredLong(o, "build_number", "");
        List<String> depends = f.stringList(o, "depends", "");
        List<String> constrains = f.stringList(o, "constrains", "");
        String license = f.optionalString(o, "license", "");
        String subdir = f.optionalString(o, "subdir", "");
        String platform = f.optionalString(o, "platform", "");
        String arch = f.optionalString(o, "arch", "");
        String noarch = noarch(f, o.get("noarch"));
        Long timestamp = timestamp(f, o.get("timestamp"));
        return new IndexJson(name, version, build, buildNumber, depends, constrains, license, subdir, platform,
                arch, noarch, timestamp, MetaFile.toMap(o));
    }

    private static String noarch(MetaFile f, JsonNode n) throws PackageFormatException {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue() ? "generic" : null; // conda-build 2 wrote "noarch": true
        }
        if (n.isTextual() && (n.textValue().equals("python") || n.textValue().equals("generic"))) {
            return n.textValue();
        }
        throw f.error(MetaFile.wrongType("noarch", "\"python\", \"generic\" or absent", n, ""));
    }

    private static Long timestamp(MetaFile f, JsonNode n) throws PackageFormatException {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isNumber() && Double.isFinite(n.doubleValue())) {
            return (long) n.doubleValue();
        }
        throw f.error(MetaFile.wrongType("timestamp", "a number", n, ""));
    }
}
