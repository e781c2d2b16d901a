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

    /**
     * Whether conda compiles this package path when installing: a {@code .py} file under
     * {@code site-packages/} (python-scripts are run, not imported).
     */
    static boolean compiled(String packagePath) {
        return packagePath.startsWith("site-packages/") && packagePath.endsWith(".py");
    }

    /**
     * Where CPython X.Y writes the bytecode of a source file ({@code importlib.util.cache_from_source}
     * without optimisation): {@code a/b.py} -> {@code a/__pycache__/b.cpython-XY.pyc}.
     */
    String pycOf(String pyTarget) {
        int slash = pyTarget.lastIndexOf('/');
        String dir = slash < 0 ? "" : pyTarget.substring(0, slash + 1);
        String stem = pyTarget.substring(slash + 1, pyTarget.length() - ".py".length());
        return dir + "__pycache__/" + stem + pycSuffix();
    }

    /** The source file of a bytecode path made by {@link #pycOf}. */
    String sourceOfPyc(String pycTarget) {
        int cache = pycTarget.lastIndexOf("__pycache__/");
        String name = pycTarget.substring(cache + "__pycache__/".length());
        return pycTarget.substring(0, cache) + name.substring(0, name.length() - pycSuffix().length()) + ".py";
    }

    private String pycSuffix() {
        return ".cpython-" + pythonVersion.replace(".", "") + ".pyc";
    }

    /** Where the environment's interpreter may be, relative to the prefix, most specific first. */
    java.util.List<String> interpreters() {
        return windows ? java.util.List.of("python.exe")
                : java.util.List.of("bin/python" + pythonVersion, "bin/python3", "bin/python");
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
