package dev.envlink.env.input;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conda's explicit environment spec ({@code conda list --explicit}, {@code conda-lock render},
 * {@code pixi workspace export conda-explicit-spec}): an {@code @EXPLICIT} line, then one package
 * a line as a URL (or path) to a {@code .conda} / {@code .tar.bz2} archive, optionally followed by
 * {@code #<md5>}, {@code #<sha256>} or {@code #sha256:<sha256>}. Lines starting with {@code #}
 * are comments; {@code # platform: <subdir>} names the platform.
 *
 * <p>Paths are taken relative to the working directory (as conda does), with {@code ~} and
 * {@code $VAR} / {@code ${VAR}} expanded.
 */
public final class ExplicitSpec {
    /** The marker line; without it the file is a list of match specs that needs a solver. */
    public static final String MARKER = "@EXPLICIT";

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");
    private static final Pattern ENV_VAR = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

    private ExplicitSpec() {
    }

    /** Parses an explicit spec file. */
    public static InstallInputs parse(Path file) throws InputException {
        return parse(InputFiles.read(file), file.toString());
    }

    /**
     * Parses explicit spec text.
     *
     * @param sourceName names the input in error messages (usually the file name)
     */
    public static InstallInputs parse(String text, String sourceName) throws InputException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r\n|\r|\n", -1);
        boolean hasMarker = false;
        for (String line : lines) {
            if (line.strip().equals(MARKER)) {
                hasMarker = true;
                break;
            }
        }
        if (!hasMarker) {
            throw new InputException(sourceName, "no " + MARKER + " line: this is not an explicit spec "
                    + "(a list of package URLs as written by 'conda list --explicit'); specs without it "
                    + "need a solver, which envlink does not have");
        }
        List<PackageRef> packages = new ArrayList<>();
        Optional<String> platform = Optional.empty();
        boolean seenMarker = false;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String comment = line.substring(1).strip();
                if (platform.isEmpty() && comment.startsWith("platform:")) {
                    String value = comment.substring("platform:".length()).strip();
                    if (!value.isEmpty()) {
                        platform = Optional.of(value);
                    }
                }
                continue;
            }
            if (line.equals(MARKER)) {
                seenMarker = true;
                continue;
            }
            if (!seenMarker) {
                throw new InputException(sourceName, lineNo, "package line '" + line + "' comes before the "
                        + MARKER + " line");
            }
            packages.add(entry(line, sourceName, lineNo));
        }
        return new InstallInputs(packages, List.of(), platform);
    }

    private static PackageRef entry(String line, String source, int lineNo) throws InputException {
        String location = line;
        Optional<String> md5 = Optional.empty();
        Optional<String> sha256 = Optional.empty();
        int hash = line.indexOf('#');
        if (hash >= 0) {
            location = line.substring(0, hash);
            String fragment = line.substring(hash + 1);
            if (fragment.startsWith("sha256:") && CondaNames.isHex(fragment.substring(7), 64)) {
                sha256 = Optional.of(fragment.substring(7));
            } else if (CondaNames.isHex(fragment, 64)) {
                sha256 = Optional.of(fragment);
            } else if (CondaNames.isHex(fragment, 32)) {
                md5 = Optional.of(fragment);
            } else {
                throw new InputException(source, lineNo, "checksum '#" + fragment + "' is neither an MD5 "
                        + "(32 hex digits) nor a SHA-256 (64 hex digits, optionally after 'sha256:')");
            }
        }
        if (location.isEmpty()) {
            throw new InputException(source, lineNo, "no package URL before '#'");
        }
        URI url = toUri(location, source, lineNo);
        CondaNames.UrlParts parts = CondaNames.split(url);
        if (!CondaNames.isArchive(parts.fileName())) {
            throw new InputException(source, lineNo, "'" + location + "' does not name a conda package "
                    + "(a .conda or .tar.bz2 file)");
        }
        Map<String, Object> extra = CondaNames.nameVersionBuild(CondaNames.distName(parts.fileName()));
        return new PackageRef(url, parts.fileName(), sha256, md5, parts.channel(), parts.subdir(), extra);
    }

    private static URI toUri(String location, String source, int lineNo) throws InputException {
        if (SCHEME.matcher(location).find()) {
            URI uri;
            try {
                uri = new URI(location);
            } catch (URISyntaxException e) {
                throw new InputException(source, lineNo, "not a valid URL: " + e.getMessage());
            }
            if (uri.isOpaque() || uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
                throw new InputException(source, lineNo, "URL '" + location + "' has no path to a package");
            }
            return uri;
        }
        // A file path (conda resolves relative paths against the working directory).
        try {
            return Path.of(expand(location)).toAbsolutePath().normalize().toUri();
        } catch (InvalidPathException e) {
            throw new InputException(source, lineNo, "neither a URL nor a valid path: '" + location + "'");
        }
    }

    /** {@code ~} and environment variables, as conda expands them in explicit spec paths. */
    private static String expand(String path) {
        String p = path;
        if (p.equals("~") || p.startsWith("~/") || p.startsWith("~\\")) {
            p = System.getProperty("user.home") + p.substring(1);
        }
        Matcher m = ENV_VAR.matcher(p);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = System.getenv(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
