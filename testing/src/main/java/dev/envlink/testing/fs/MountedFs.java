package dev.envlink.testing.fs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects the mount point of a fresh, real loop-mounted filesystem into a {@link java.nio.file.Path}
 * test-method parameter or non-static field:
 *
 * <pre>{@code
 * @Test
 * void clones(@MountedFs(FsType.BTRFS) Path root) { ... }
 * }</pre>
 *
 * <p>Each annotated parameter gets its own filesystem, unmounted after the test even if it fails.
 * Where loop mounts are impossible (not Linux, not root, tools missing) the test is skipped, or
 * failed when {@code ENVLINK_REQUIRE_FS_TESTS=1} / {@code -Denvlink.requireFsTests=true} is set.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
@ExtendWith(LoopMountExtension.class)
public @interface MountedFs {

    FsType value();

    /** Image size in MiB; 0 means the type's {@link FsType#defaultSizeBytes() default}. */
    long sizeMiB() default 0;
}
