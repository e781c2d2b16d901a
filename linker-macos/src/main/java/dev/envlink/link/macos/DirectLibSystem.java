package dev.envlink.link.macos;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Map;

/**
 * {@link LibSystem} through JNA direct mapping (static natives, JNI-speed calls, as the Linux
 * provider does). The functions live in libSystem, which libc.dylib names; the function mapper
 * binds {@code statfs} to the symbol of the 64-bit-inode layout for this architecture.
 */
final class DirectLibSystem implements LibSystem {

    /** Registering happens when this class is first used, never when the provider is built. */
    private static final class C {
        static {
            String statfs = Statfs.symbol(System.getProperty("os.arch"));
            FunctionMapper mapper = (library, method) -> method.getName().equals("statfs") ? statfs : method.getName();
            Native.register(C.class, NativeLibrary.getInstance("c", Map.of(
                    Library.OPTION_FUNCTION_MAPPER, mapper,
                    Library.OPTION_CLASSLOADER, C.class.getClassLoader())));
        }

        static void init() {
            // Calling this runs the static initializer above.
        }

        static native int clonefile(String src, String dst, int flags);

        static native int copyfile(String from, String to, Pointer state, int flags);

        static native int statfs(String path, Statfs buf);
    }

    private DirectLibSystem() {
    }

    /** Registers the natives (once) and returns the binding. */
    static LibSystem bind() {
        C.init();
        return new DirectLibSystem();
    }

    @Override
    public int clonefile(String src, String dst, int flags) {
        return C.clonefile(src, dst, flags);
    }

    @Override
    public int copyfile(String from, String to, Pointer state, int flags) {
        return C.copyfile(from, to, state, flags);
    }

    @Override
    public int statfs(String path, Statfs buf) {
        return C.statfs(path, buf);
    }

    @Override
    public int lastError() {
        // JNA saves errno after every call, also of methods not declaring LastErrorException.
        return Native.getLastError();
    }
}
