package dev.pythread.agent;

/**
 * What the {@code loadClass} prologue that {@link ClassLoaderTransformer} inserts calls: for a class of the API
 * package {@code dev.pythread}, the agent's copy in the bootstrap loader; for any other name, {@code null}, and the
 * class loader goes on as written.
 *
 * <p>Public because application class loaders call it; it lives in the bootstrap loader. It is not an API.
 */
public final class BootDelegation {

    private static final String API_PACKAGE_PREFIX = "dev.pythread.";

    private BootDelegation() {
    }

    /**
     * The bootstrap loader's {@code dev.pythread} class of that name, if {@code name} is one.
     *
     * @param name a binary class name, as {@code ClassLoader.loadClass} receives it
     * @return the agent's copy, or {@code null} to let the loader load {@code name} itself
     */
    public static Class<?> find(String name) {
        if (name == null || !name.startsWith(API_PACKAGE_PREFIX)
                || name.indexOf('.', API_PACKAGE_PREFIX.length()) >= 0) {
            return null; // not in the package dev.pythread itself (dev.pythread.agent.*, dev.pythread.junit.* …)
        }
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException notOurs) {
            return null;
        }
    }
}
