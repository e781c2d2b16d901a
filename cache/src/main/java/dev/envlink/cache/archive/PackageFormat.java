package dev.envlink.cache.archive;

import java.nio.file.Path;
import java.util.Optional;

/** The two conda package formats, told apart by the file name suffix. */
public enum PackageFormat {
    /** A ZIP holding {@code metadata.json}, {@code info-<dist>.tar.zst} and {@code pkg-<dist>.tar.zst}. */
    CONDA(".conda"),
    /** The legacy format: one bzip2-compressed tar with {@code info/} and the payload. */
    TAR_BZ2(".tar.bz2");

    private final String suffix;

    PackageFormat(String suffix) {
        this.suffix = suffix;
    }

    /** The file name suffix, with its dot: {@code ".conda"} or {@code ".tar.bz2"}. */
    public String suffix() {
        return suffix;
    }

    /** The format of {@code archive} by its file name, or empty when the name has neither suffix. */
    public static Optional<PackageFormat> of(Path archive) {
        Path name = archive.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        String s = name.toString();
        for (PackageFormat f : values()) {
            if (s.length() > f.suffix.length() && s.endsWith(f.suffix)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * The file name without {@code .conda} / {@code .tar.bz2}: {@code numpy-2.1.0-py312h1_0}.
     *
     * @throws IllegalArgumentException when the name has neither suffix
     */
    public static String distName(Path archive) {
        PackageFormat f = of(archive).orElseThrow(() -> new IllegalArgumentException(
                "not a conda package file name (expected .conda or .tar.bz2): " + archive));
        String s = archive.getFileName().toString();
        return s.substring(0, s.length() - f.suffix.length());
    }
}
