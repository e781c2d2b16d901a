package dev.envlink.env;

import dev.envlink.cache.meta.PythonJson;

import dev.envlink.cache.meta.PathEntry;
import dev.envlink.cache.meta.RepodataRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes conda-meta/&lt;dist&gt;.json the way conda and micromamba do (repodata fields, fn, url,
 * channel, files, paths_data, link, extracted_package_dir, package_tarball_full_path,
 * requested_spec), plus an "envlink" object with the method actually used for each file (see
 * {@link RecordedMethods}): peers record a reflinked package as "hardlink", which hides whether
 * edits leak into the cache.
 */
final class RecordWriter {
    /** conda's link types. */
    static final int LINK_HARDLINK = 1;
    static final int LINK_SOFTLINK = 2;
    static final int LINK_COPY = 3;

    private RecordWriter() {
    }

    /** What happened to one placed path. */
    record Placed(PlannedFile file, String method, String sha256InPrefix, Long sizeInPrefix) {
        private static final String ABSENT = "absent";

        /** A planned path that was not made (bytecode that did not compile): left out of the record. */
        static Placed absent(PlannedFile f) {
            return new Placed(f, ABSENT, null, null);
        }

        boolean isAbsent() {
            return ABSENT.equals(method);
        }
    }

    static Map<String, Object> build(PackagePlan plan, List<Placed> placed, int linkType, String envlinkVersion) {
        Map<String, Object> r = new LinkedHashMap<>();
        RepodataRecord repodata = plan.metadata().repodataRecord().orElse(null);
        if (repodata != null) {
            r.putAll(repodata.fields());
        } else {
            r.putAll(plan.metadata().index().raw());
        }
        List<String> files = new ArrayList<>();
        List<PythonJson.Row> paths = new ArrayList<>(placed.size());
        // In paths.json order, which is nearly sorted already: the sort when written is then cheap.
        Map<String, String> methods = new LinkedHashMap<>(placed.size() * 2);
        for (Placed p : placed) {
            if (p.isAbsent()) {
                continue;
            }
            PlannedFile f = p.file();
            if (f.action() != PlannedFile.Action.DIRECTORY) {
                files.add(f.target());
            }
            paths.add(pathData(p));
            if (p.method() != null) {
                methods.put(f.target(), p.method());
            }
        }
        r.put("files", files);
        Map<String, Object> pathsData = new LinkedHashMap<>();
        pathsData.put("paths", paths);
        pathsData.put("paths_version", 1);
        r.put("paths_data", pathsData);
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("source", plan.entry().path().toString());
        link.put("type", linkType);
        r.put("link", link);
        r.put("extracted_package_dir", plan.entry().path().toString());
        r.put("package_tarball_full_path", plan.entry().archive().map(Path::toString).orElse(""));
        r.put("requested_spec", plan.requestedSpec());
        Map<String, Object> ours = new LinkedHashMap<>();
        ours.put("version", envlinkVersion);
        RecordedMethods.Split split = RecordedMethods.split(methods);
        if (split.common() != null) {
            ours.put(RecordedMethods.COMMON, split.common());
        }
        ours.put(RecordedMethods.OTHERS, split.others());
        if (!plan.clobbers().isEmpty()) {
            ours.put("clobbered", new TreeMap<>(plan.clobbers()));
        }
        r.put("envlink", ours);
        return r;
    }

    /** A paths_data entry's keys, in Python's sorted order: 50 000 entries need no map and no sort. */
    private static final PythonJson.Shape PATH_DATA = new PythonJson.Shape("_path", "file_mode", "no_link",
            "path_type", "prefix_placeholder", "sha256", "sha256_in_prefix", "size_in_bytes");
    private static final int PATH = 0;
    private static final int FILE_MODE = 1;
    private static final int NO_LINK = 2;
    private static final int PATH_TYPE = 3;
    private static final int PREFIX_PLACEHOLDER = 4;
    private static final int SHA256 = 5;
    private static final int SHA256_IN_PREFIX = 6;
    private static final int SIZE_IN_BYTES = 7;

    /** One paths_data entry. */
    private static PythonJson.Row pathData(Placed p) {
        PlannedFile f = p.file();
        PathEntry e = f.entry();
        PythonJson.Row m = PATH_DATA.row();
        m.set(PATH, f.target());
        boolean placeholder = e != null && e.prefixPlaceholder() != null;
        if (placeholder) {
            m.set(FILE_MODE, e.fileMode().json());
            m.set(PREFIX_PLACEHOLDER, e.prefixPlaceholder());
        }
        if (e != null && e.noLink()) {
            m.set(NO_LINK, true);
        }
        m.set(PATH_TYPE, switch (f.action()) {
            case DIRECTORY -> "directory";
            case SYMLINK -> "softlink";
            // Scripts/ is the scripts directory of Windows environments only (bin/ elsewhere).
            case ENTRY_POINT -> f.target().startsWith("Scripts/") ? "windows_python_entry_point_script"
                    : "unix_python_entry_point";
            case PYC -> "pyc_file";
            default -> "hardlink";
        });
        if (e != null && e.sha256() != null) {
            m.set(SHA256, e.sha256());
        }
        m.set(SHA256_IN_PREFIX, p.sha256InPrefix());
        if (p.sizeInPrefix() != null) {
            m.set(SIZE_IN_BYTES, p.sizeInPrefix());
        } else if (e != null && e.sizeInBytes() != null) {
            m.set(SIZE_IN_BYTES, e.sizeInBytes());
        }
        return m;
    }

    /** Where a record is written before it is renamed into place. */
    static Path temporary(Path record) {
        return record.resolveSibling("." + record.getFileName() + ".tmp");
    }

    /** Atomic: a reader sees the old record or the new one, never half of one. */
    static void write(Path file, Map<String, Object> record) throws IOException {
        Path tmp = temporary(file);
        // Byte for byte what conda writes: json.dumps(indent=2, sort_keys=True).
        // Streamed: a record of 50 000 paths (megabytes of text) is never built whole in memory.
        try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
            PythonJson.write(out, record);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
