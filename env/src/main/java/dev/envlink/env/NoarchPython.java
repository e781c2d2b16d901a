package dev.envlink.env;

import java.util.Optional;

/**
 * Where noarch: python files go (conda's rules): {@code site-packages/} into the environment's
 * site-packages, {@code python-scripts/} into the scripts directory.
 */
record NoarchPython(String pythonVersion, boolean windows) {

    /** lib/pythonX.Y/site-packages, or Lib/site-packages on Windows. */
    String sitePackages() {
        return windows ? "Lib/site-packages" : "lib/python" + pythonVersion + "/site-packages";
    }

    String scriptsDir() {
        return windows ? "Scripts" : "bin";
    }

    /** The prefix path of a package path, or empty if the path is not relocated. */
    Optional<String> relocate(String packagePath) {
        if (packagePath.startsWith("site-packages/")) {
            return Optional.of(sitePackages() + packagePath.substring("site-packages".length()));
        }
        if (packagePath.startsWith("python-scripts/")) {
            return Optional.of(scriptsDir() + packagePath.substring("python-scripts".length()));
        }
        return Optional.empty();
    }

    /** "3.11.9" or "3.11" -> "3.11". */
    static String majorMinor(String version) {
        String[] parts = version.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not a python version: " + version);
        }
        return parts[0] + "." + parts[1];
    }
}
