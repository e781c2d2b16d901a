package dev.envlink.env.input;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One conda package to install, as a lock file or spec names it.
 *
 * @param url      where the archive comes from ({@code https:}, {@code file:}, ...), without
 *                 any checksum fragment
 * @param fileName the archive's file name, e.g. {@code numpy-1.26.4-py311h_0.conda}
 * @param sha256   expected SHA-256 of the archive (lower-case hex), when the input records it
 * @param md5      expected MD5 of the archive (lower-case hex), when the input records it
 * @param channel  channel URL without trailing slash, e.g.
 *                 {@code https://conda.anaconda.org/conda-forge}
 * @param subdir   the channel subdirectory, e.g. {@code linux-64} or {@code noarch}
 * @param extra    further metadata as the input gives it (lock files: {@code name},
 *                 {@code version}, {@code build}, {@code build_number}, {@code depends},
 *                 {@code license}, {@code size}, {@code timestamp}, ...). Values are
 *                 {@code String}, {@code Long}, {@code Boolean}, {@code List} or {@code Map}.
 *                 {@code name}, {@code version} and {@code build} are filled from the file name
 *                 when the input does not give them.
 */
public record PackageRef(URI url, String fileName, Optional<String> sha256, Optional<String> md5,
        Optional<String> channel, Optional<String> subdir, Map<String, Object> extra) {

    public PackageRef {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(fileName, "fileName");
        sha256 = sha256.map(s -> s.toLowerCase(Locale.ROOT));
        md5 = md5.map(s -> s.toLowerCase(Locale.ROOT));
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(subdir, "subdir");
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(extra, "extra")));
    }

    /** The file name without {@code .conda} / {@code .tar.bz2}: {@code name-version-build}. */
    public String distName() {
        return CondaNames.distName(fileName);
    }
}
