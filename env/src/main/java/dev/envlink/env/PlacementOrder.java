package dev.envlink.env;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The order in which a transaction places files and makes directories. */
final class PlacementOrder {
    private PlacementOrder() {
    }

    /**
     * The indexes regrouped so that the files of one directory are adjacent, directories in the
     * order they first appear. paths.json is sorted by path, which interleaves a directory's files
     * with its subdirectories' ({@code a/__init__.py, a/__pycache__/x.pyc, a/b.py}): each piece
     * would be a run of its own, with its own directory openings.
     */
    static List<Integer> byDirectory(List<Integer> indexes, List<String> parents) {
        Map<String, List<Integer>> groups = new java.util.LinkedHashMap<>();
        String lastParent = null;
        List<Integer> last = null;
        for (int i : indexes) {
            String parent = parents.get(i);
            if (last == null || parent != lastParent) { // the same String object: the same directory
                last = groups.computeIfAbsent(parent, k -> new ArrayList<>());
                lastParent = parent;
            }
            last.add(i);
        }
        if (groups.size() == 1) {
            return indexes;
        }
        List<Integer> out = new ArrayList<>(indexes.size());
        groups.values().forEach(out::addAll);
        return out;
    }

    /**
     * The new directories in the order the placing threads reach them ({@code batches} of file
     * indexes, in placement order), each after its parent; then those no file needs.
     */
    @SafeVarargs
    static List<String> directories(List<String> newDirs, List<String> parents, List<Integer>... batches) {
        Set<String> pending = new java.util.HashSet<>(newDirs);
        List<String> order = new ArrayList<>(newDirs.size());
        List<String> chain = new ArrayList<>();
        String last = null;
        for (List<Integer> batch : batches) {
            for (int i : batch) {
                String d = parents.get(i);
                if (d == null || d == last) {
                    continue;
                }
                last = d;
                // The missing part of d's chain, made top-down.
                for (String p = d; p != null && pending.remove(p); p = parent(p)) {
                    chain.add(p);
                }
                for (int k = chain.size() - 1; k >= 0; k--) {
                    order.add(chain.get(k));
                }
                chain.clear();
            }
        }
        for (String d : newDirs) { // parents first
            if (pending.contains(d)) {
                order.add(d);
            }
        }
        return order;
    }

    private static String parent(String rel) {
        int i = rel.lastIndexOf('/');
        return i < 0 ? null : rel.substring(0, i);
    }
}
