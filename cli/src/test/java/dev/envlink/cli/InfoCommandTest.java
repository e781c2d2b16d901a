package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.envlink.link.LinkProviders;
import dev.envlink.link.linux.LinuxLinkProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** envlink info, and the envlink.noNative kill switch, run in-process. */
class InfoCommandTest {
    private static final String NO_NATIVE = LinuxLinkProvider.NO_NATIVE_PROPERTY;

    private String savedNoNative;

    @BeforeEach
    void saveProperty() {
        assertEquals("envlink.noNative", NO_NATIVE);
        savedNoNative = System.getProperty(NO_NATIVE);
        System.clearProperty(NO_NATIVE);
    }

    @AfterEach
    void restoreProperty() {
        if (savedNoNative == null) {
            System.clearProperty(NO_NATIVE);
        } else {
            System.setProperty(NO_NATIVE, savedNoNative);
        }
    }

    @Test
    void jsonListsLinuxAndPortableProviders() {
        Cli.Result r = Cli.run("info", "--json");

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertEquals("", r.err(), r.describe());
        JsonNode j = r.json();
        assertEquals(Version.get(), j.path("version").asText());
        assertEquals(System.getProperty("java.version"), j.path("java").path("version").asText());
        assertEquals(System.getProperty("os.name"), j.path("os").path("name").asText());
        assertFalse(j.path("noNative").asBoolean(true));
        assertTrue(j.path("loadFailures").isArray() && j.path("loadFailures").isEmpty(), r.describe());

        assertEquals(List.of("linux", "macos", "windows", "portable"), ids(j),
                "highest priority first, then by id: " + r.describe());
        JsonNode linux = provider(j, "linux");
        assertEquals(LinuxLinkProvider.class.getName(), linux.path("class").asText());
        assertEquals(100, linux.path("priority").asInt());
        assertEquals(List.of("reflink", "hardlink", "copy"), texts(linux.path("methods")));
        JsonNode portable = provider(j, "portable");
        assertTrue(portable.path("available").asBoolean(false), r.describe());
        assertTrue(portable.path("cause").isNull(), r.describe());
        assertEquals(0, portable.path("priority").asInt());
        assertEquals(List.of("hardlink", "symlink", "copy"), texts(portable.path("methods")));

        boolean onLinux = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux");
        assertEquals(onLinux, linux.path("available").asBoolean(), r.describe());
        assertEquals(onLinux, linux.path("cause").isNull(), r.describe());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void textListsProvidersAsAvailable() {
        Cli.Result r = Cli.run("info");

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertTrue(r.out().startsWith("envlink " + Version.get() + "\n"), r.describe());
        assertTrue(r.out().matches("(?s).*\\n  linux\\s+priority\\s+100\\s+available\\s+reflink, hardlink, copy\\n.*"),
                r.describe());
        assertTrue(r.out().matches("(?s).*\\n  portable\\s+priority\\s+0\\s+available\\s+hardlink, symlink, copy\\n.*"),
                r.describe());
        // Only the providers of other operating systems are unavailable, each with its cause.
        assertTrue(r.out().matches("(?s).*\\n  macos\\s+priority\\s+100\\s+unavailable\\s+reflink, hardlink, copy\\n"
                + "\\s+cause: not macOS \\(os\\.name=Linux\\)\\n.*"), r.describe());
        assertTrue(r.out().matches("(?s).*\\n  windows\\s+priority\\s+100\\s+unavailable\\s+reflink, hardlink, symlink\\n"
                + "\\s+cause: not Windows \\(os\\.name=Linux\\)\\n.*"), r.describe());
        assertEquals(2, r.out().lines().filter(l -> l.strip().startsWith("cause:")).count(), r.describe());
        assertFalse(r.out().contains("native  disabled"), r.describe());
    }

    @Test
    void noNativePropertyDisablesTheLinuxProviderWithACause() {
        System.setProperty(NO_NATIVE, "true");
        Cli.Result r = Cli.run("info", "--json");

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        JsonNode j = r.json();
        assertTrue(j.path("noNative").asBoolean(false), r.describe());
        JsonNode linux = provider(j, "linux");
        assertFalse(linux.path("available").asBoolean(true), r.describe());
        assertTrue(linux.path("cause").asText("").contains("envlink.noNative"), r.describe());
        assertTrue(provider(j, "portable").path("available").asBoolean(false), r.describe());

        Cli.Result text = Cli.run("info");
        assertTrue(text.out().contains("native  disabled by -Denvlink.noNative=true"), text.describe());
        assertTrue(text.out().matches("(?s).*\\n  linux\\s+priority\\s+100\\s+unavailable\\s.*"), text.describe());
        assertTrue(text.out().matches("(?s).*\\n\\s+cause: [^\\n]*envlink\\.noNative[^\\n]*\\n.*"), text.describe());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void eachRunDiscoversProvidersAfresh() {
        System.setProperty(NO_NATIVE, "true");
        assertFalse(provider(Cli.run("info", "--json").json(), "linux").path("available").asBoolean(true));

        System.clearProperty(NO_NATIVE);
        JsonNode j = Cli.run("info", "--json").json();
        assertTrue(provider(j, "linux").path("available").asBoolean(false),
                "clearing the property must re-enable the provider on the next run: " + j);
        assertFalse(j.path("noNative").asBoolean(true));

        System.setProperty(NO_NATIVE, "true");
        assertFalse(provider(Cli.run("info", "--json").json(), "linux").path("available").asBoolean(true),
                "availability is cached per provider instance, not per JVM");
    }

    @Test
    void noNativeLinkingStillWorksThroughThePortableProvider(@TempDir Path tmp) throws IOException {
        System.setProperty(NO_NATIVE, "true");
        assertTrue(LinkProviders.discover().available().stream().noneMatch(p -> p.id().equals("linux")));
        Path src = Trees.create(tmp.resolve("src"));
        Path dst = tmp.resolve("env");

        Cli.Result r = Cli.run("link", "--mode", "copy", "--json", src.toString(), dst.toString());

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertEquals(Trees.FILES.size(), r.json().path("methods").path("copy").path("files").asLong(), r.describe());
        Trees.assertSameContent(src, dst);
    }

    @Test
    void noNativeStrictReflinkIsRefusedWithExitThree(@TempDir Path tmp) throws IOException {
        System.setProperty(NO_NATIVE, "true");
        Path src = Trees.create(tmp.resolve("src"));
        Path dst = tmp.resolve("env");

        // Only the linux provider can reflink; with it disabled no filesystem makes this possible.
        Cli.Result r = Cli.run("link", "--mode", "reflink", "--strict", src.toString(), dst.toString());

        assertEquals(ExitCodes.STRICT, r.exitCode(), r.describe());
        assertTrue(r.err().contains("UNSUPPORTED_BY_PROVIDER"), r.describe());
        assertTrue(r.err().contains("--strict forbids a fallback"), r.describe());
    }

    private static List<String> ids(JsonNode info) {
        List<String> ids = new ArrayList<>();
        info.path("providers").forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    private static JsonNode provider(JsonNode info, String id) {
        for (JsonNode p : info.path("providers")) {
            if (p.path("id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no provider " + id + " in " + info);
    }

    private static List<String> texts(JsonNode array) {
        assertNotNull(array);
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
