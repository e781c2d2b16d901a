package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.envlink.link.macos.MacosLinkProvider;
import dev.envlink.link.windows.WindowsLinkProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `envlink info --json` lists the providers of all three operating systems; the ones for other
 * systems are unavailable with a cause that names the running OS, and none failed to load.
 */
class NativeProvidersInfoTest {

    /** Provider id, and whether it belongs to the OS this test runs on. */
    private static Map<String, Boolean> nativeProviders() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return Map.of("linux", os.startsWith("linux"), "macos", os.startsWith("mac"), "windows", os.startsWith("windows"));
    }

    @Test
    void providersOfOtherSystemsAreUnavailableWithTheOsInTheCause() {
        Cli.Result r = Cli.run("info", "--json");

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        JsonNode j = r.json();
        assertTrue(j.path("loadFailures").isEmpty(), r.describe());
        String osName = System.getProperty("os.name");
        nativeProviders().forEach((id, here) -> {
            JsonNode p = provider(j, id);
            assertEquals(100, p.path("priority").asInt(), r.describe());
            if (!here) {
                assertFalse(p.path("available").asBoolean(true), id + ": " + r.describe());
                assertTrue(p.path("cause").asText("").contains("os.name=" + osName), id + ": " + r.describe());
            }
        });
        assertEquals(MacosLinkProvider.class.getName(), provider(j, "macos").path("class").asText());
        assertEquals(WindowsLinkProvider.class.getName(), provider(j, "windows").path("class").asText());
        assertEquals(List.of("reflink", "hardlink", "copy"), texts(provider(j, "macos").path("methods")));
        assertEquals(List.of("reflink", "hardlink", "symlink"), texts(provider(j, "windows").path("methods")));
    }

    @Test
    void theCausesSayWhichSystemIsMissing() {
        JsonNode j = Cli.run("info", "--json").json();
        if (!nativeProviders().get("macos")) {
            assertTrue(provider(j, "macos").path("cause").asText().startsWith("not macOS"), j.toString());
        }
        if (!nativeProviders().get("windows")) {
            assertTrue(provider(j, "windows").path("cause").asText().startsWith("not Windows"), j.toString());
        }
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
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
