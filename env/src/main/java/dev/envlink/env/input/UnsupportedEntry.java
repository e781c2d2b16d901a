package dev.envlink.env.input;

import java.util.Objects;

/**
 * An entry of an install input that envlink cannot install, listed so that callers can report
 * it instead of silently dropping it.
 *
 * @param kind     {@code "pypi"} for PyPI packages, {@code "conda-source"} for conda packages
 *                 that pixi builds from source (paths, git, source archives)
 * @param name     package name as the input gives it (may be empty when unknown)
 * @param location URL or path as written in the input
 * @param reason   why envlink does not install it, and what to do instead
 */
public record UnsupportedEntry(String kind, String name, String location, String reason) {
    public static final String PYPI = "pypi";
    public static final String CONDA_SOURCE = "conda-source";

    public UnsupportedEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(reason, "reason");
    }
}
