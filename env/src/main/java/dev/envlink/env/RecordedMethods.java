package dev.envlink.env;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The method envlink used for each file of a package, as its conda-meta record keeps it: the
 * "envlink" object's {@code link_method} is the method of every file of {@code files} not named in
 * {@code link_methods}, which holds the others. Writing each of 50 000 paths a third time cost a
 * fifth of the records' bytes; records of earlier versions name every file in
 * {@code link_methods} and have no {@code link_method}, and read the same.
 */
public final class RecordedMethods {
    static final String COMMON = "link_method";
    static final String OTHERS = "link_methods";

    private final String common;
    private final Map<String, String> others;
    private final Set<String> files;

    private RecordedMethods(String common, Map<String, String> others, Set<String> files) {
        this.common = common;
        this.others = others;
        this.files = files;
    }

    /** From a parsed record (conda-meta/&lt;dist&gt;.json as maps and lists). */
    public static RecordedMethods of(Map<?, ?> record) {
        String common = null;
        Map<String, String> others = new LinkedHashMap<>();
        if (record.get("envlink") instanceof Map<?, ?> ours) {
            if (ours.get(COMMON) instanceof String s) {
                common = s;
            }
            if (ours.get(OTHERS) instanceof Map<?, ?> m) {
                m.forEach((k, v) -> others.put(String.valueOf(k), String.valueOf(v)));
            }
        }
        Set<String> files = new HashSet<>();
        if (record.get("files") instanceof List<?> l) {
            l.forEach(f -> files.add(String.valueOf(f)));
        }
        return new RecordedMethods(common, others, files);
    }

    /** The method recorded for a path of the package; null when none is (a directory, an older record). */
    public String of(String path) {
        String m = others.get(path);
        return m != null || !files.contains(path) ? m : common;
    }

    /** How many of the package's files each method placed. */
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (common != null) {
            long rest = files.stream().filter(f -> !others.containsKey(f)).count();
            if (rest > 0) {
                out.put(common, (int) rest);
            }
        }
        others.values().forEach(m -> out.merge(m, 1, Integer::sum));
        return out;
    }

    /** A package's methods as written: the common one (null without files) and the files placed otherwise. */
    record Split(String common, Map<String, String> others) {
    }

    /** Splits the methods of a package's files (path to method, in order) for its record. */
    static Split split(Map<String, String> methods) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (String m : methods.values()) {
            count.merge(m, 1, Integer::sum);
        }
        String common = null;
        int most = 0;
        for (Map.Entry<String, Integer> e : count.entrySet()) {
            if (e.getValue() > most) {
                common = e.getKey();
                most = e.getValue();
            }
        }
        Map<String, String> others = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : methods.entrySet()) {
            if (!e.getValue().equals(common)) {
                others.put(e.getKey(), e.getValue());
            }
        }
        return new Split(common, others);
    }
}
