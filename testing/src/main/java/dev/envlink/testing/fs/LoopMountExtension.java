package dev.envlink.testing.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * Backs {@link MountedFs}: mounts one {@link LoopMount} per annotated parameter or field and puts it
 * in the test's {@link ExtensionContext.Store}, which closes it (JUnit 5.13+ closes stored
 * {@link AutoCloseable}s) when the test finishes, passed or failed.
 */
public final class LoopMountExtension implements ParameterResolver, BeforeEachCallback, TestInstancePostProcessor {

    /** System property overriding where images and mount points are created. */
    public static final String WORK_DIR_PROPERTY = "envlink.loopmount.dir";
    /** Environment variable that, set to {@code 1}, turns "cannot mount here" from skip into failure. */
    public static final String REQUIRE_ENV = "ENVLINK_REQUIRE_FS_TESTS";
    /** System property equivalent of {@link #REQUIRE_ENV}, set to {@code true}. */
    public static final String REQUIRE_PROPERTY = "envlink.requireFsTests";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LoopMountExtension.class);

    /** What to do with a test that needs a mount. */
    enum Verdict { RUN, SKIP, FAIL }

    /** The skip-or-fail policy, pure so it can be tested without root. */
    static Verdict verdict(Optional<String> unavailableReason, boolean fsTestsRequired) {
        if (unavailableReason.isEmpty()) {
            return Verdict.RUN;
        }
        return fsTestsRequired ? Verdict.FAIL : Verdict.SKIP;
    }

    /** CI sets this so a misconfigured runner fails loudly instead of silently skipping every fs test. */
    static boolean fsTestsRequired(Map<String, String> env, Properties systemProperties) {
        String fromEnv = env.getOrDefault(REQUIRE_ENV, "").strip();
        return fromEnv.equals("1") || fromEnv.equalsIgnoreCase("true")
                || Boolean.parseBoolean(systemProperties.getProperty(REQUIRE_PROPERTY, "").strip());
    }

    /** Skips (aborts) or fails the current test if {@code type} cannot be mounted here. */
    static void requireAvailable(FsType type) {
        Optional<String> reason = LoopMount.unavailableReason(type);
        switch (verdict(reason, fsTestsRequired(System.getenv(), System.getProperties()))) {
            case RUN -> { }
            case SKIP -> Assumptions.abort("Cannot mount " + type.label() + ": " + reason.orElseThrow());
            case FAIL -> Assertions.fail("Cannot mount " + type.label() + " although " + REQUIRE_ENV
                    + "=1 / " + REQUIRE_PROPERTY + "=true demands real filesystem tests: " + reason.orElseThrow());
        }
    }

    /**
     * Checks availability before the test method runs: an abort thrown here marks the test skipped,
     * whereas the same exception thrown during parameter resolution would be wrapped into a failure.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod().map(Method::getParameters).ifPresent(parameters -> {
            for (Parameter parameter : parameters) {
                MountedFs spec = parameter.getAnnotation(MountedFs.class);
                if (spec != null) {
                    requireAvailable(spec.value());
                }
            }
        });
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (!parameterContext.isAnnotated(MountedFs.class)) {
            return false;
        }
        if (parameterContext.getParameter().getType() != Path.class) {
            throw new ParameterResolutionException("@MountedFs parameter " + parameterContext.getParameter()
                    + " must be of type java.nio.file.Path");
        }
        return true;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        MountedFs spec = parameterContext.findAnnotation(MountedFs.class).orElseThrow();
        return mount(spec, extensionContext);
    }

    /** Field injection; the mount lives as long as the test instance's context. */
    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws IllegalAccessException {
        for (Class<?> type = testInstance.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                MountedFs spec = field.getAnnotation(MountedFs.class);
                if (spec == null) {
                    continue;
                }
                if (Modifier.isStatic(field.getModifiers()) || field.getType() != Path.class) {
                    throw new ExtensionConfigurationException("@MountedFs field " + field
                            + " must be a non-static field of type java.nio.file.Path");
                }
                field.setAccessible(true);
                field.set(testInstance, mount(spec, context));
            }
        }
    }

    /** Per-method test instances then get a per-method context, so field mounts do not pile up per class. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    private static Path mount(MountedFs spec, ExtensionContext context) {
        FsType type = spec.value();
        requireAvailable(type);
        if (spec.sizeMiB() < 0) {
            throw new ExtensionConfigurationException("@MountedFs sizeMiB must not be negative: " + spec.sizeMiB());
        }
        long sizeBytes = spec.sizeMiB() == 0 ? type.defaultSizeBytes() : spec.sizeMiB() * 1024L * 1024L;
        try {
            LoopMount mount = LoopMount.create(type, sizeBytes, workDir());
            // Keyed by itself: every parameter gets its own entry, all closed when the context ends.
            context.getStore(NAMESPACE).put(mount, mount);
            return mount.path();
        } catch (IOException e) {
            // A mount that should work but does not is a real failure, never a skip.
            throw new UncheckedIOException("Could not mount " + type.label() + " for " + context.getDisplayName(), e);
        }
    }

    private static Path workDir() {
        String configured = System.getProperty(WORK_DIR_PROPERTY, "").strip();
        return configured.isEmpty()
                ? Path.of(System.getProperty("java.io.tmpdir"), "envlink-loopmount")
                : Path.of(configured);
    }
}
