package dev.envlink.cache.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envlink.cache.PackageFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code info/link.json} of noarch packages:
 * <pre>{"noarch": {"type": "python", "entry_points": ["jlpm = jupyterlab.jlpmapp:main"]},
 *  "package_metadata_version": 1}</pre>
 * Older packages name the same file {@code info/package_metadata.json}; it is read when
 * {@code link.json} is absent.
 *
 * @param packageMetadataVersion {@code package_metadata_version} (1 when absent)
 * @param noarchType             {@code noarch.type}: {@code "python"}, {@code "generic"}, or null
 * @param entryPoints            {@code noarch.entry_points}, parsed, in order
 * @param raw                    every field as read, in order
 */
public record LinkJson(int packageMetadataVersion, String noarchType, List<EntryPoint> entryPoints,
        Map<String, Object> raw) {

    public static final String FILE = "link.json";
    static final String LEGACY_FILE = "package_metadata.json";

    public LinkJson {
        entryPoints = List.copyOf(entryPoints);
        raw = MetaFile.freezeMap(raw);
    }

    public boolean isNoarchPython() {
        return "python".equals(noarchType);
    }

    /**
     * A console script of a noarch: python package, {@code command = module:function}: installing
     * it writes {@code bin/<command>} (or {@code Scripts\<command>-script.py} and
     * {@code <command>.exe} on Windows) that runs {@code module.function()}.
     */
    public record EntryPoint(String command, String module, String function) {

        public EntryPoint {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(function, "function");
        }

        /**
         * Parses {@code command = module:function} as conda does (split at the last {@code :}, then
         * the last {@code =}, each part trimmed). The command becomes a file name, so it must be
         * non-empty and contain no path separator; module and function must be non-empty.
         */
        public static EntryPoint parse(String definition) {
            int colon = definition.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected \"command = module:function\", no ':'");
            }
            String left = definition.substring(0, colon);
            int eq = left.lastIndexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected \"command = module:function\", no '='");
            }
            String command = left.substring(0, eq).strip();
            String module = left.substring(eq + 1).strip();
            String function = definition.substring(colon + 1).strip();
            if (command.isEmpty() || module.isEmpty() || function.isEmpty()) {
                throw new IllegalArgumentException("empty command, module or function");
            }
            if (command.contains("/") || command.contains("\\") || command.equals(".") || command.equals("..")
                    || command.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("command is not a plain file name");
            }
            return new EntryPoint(command, module, function);
        }

        /** {@code command = module:function}. */
        @Override
        public String toString() {
            return command + " = " + module + ":" + function;
        }
    }

    /**
     * Reads {@code infoDir/link.json} (or the older {@code package_metadata.json}); empty when the
     * package has neither.
     */
    public static Optional<LinkJson> read(Path infoDir) throws PackageFormatException {
        MetaFile f = MetaFile.in(infoDir, FILE);
        if (!f.exists()) {
            f = MetaFile.in(infoDir, LEGACY_FILE);
            if (!f.exists()) {
                return Optional.empty();
            }
        }
        return Optional.of(parse(f, f.readObject()));
    }

    static LinkJson parse(MetaFile f, ObjectNode o) throws PackageFormatException {
        Long version = f.optionalLong(o, "package_metadata_version", "");
        JsonNode noarch = o.get("noarch");
        String type = null;
        List<EntryPoint> eps = new ArrayList<>();
        if (noarch != null && !noarch.isNull()) {
            if (!noarch.isObject()) {
                throw f.error(MetaFile.wrongType("noarch", "an object", noarch, ""));
            }
            type = f.optionalString(noarch, "type", " of \"noarch\"");
            List<String> defs = f.stringList(noarch, "entry_points", " of \"noarch\"");
            for (int i = 0; i < defs.size(); i++) {
                try {
                    eps.add(EntryPoint.parse(defs.get(i)));
                } catch (IllegalArgumentException e) {
                    throw f.error("noarch.entry_points[" + i + "] " + MetaFile.quote(defs.get(i)) + ": "
                            + e.getMessage());
                }
            }
        }
        return new LinkJson(version == null ? 1 : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, version)),
                type, eps, MetaFile.toMap(o));
    }
}
