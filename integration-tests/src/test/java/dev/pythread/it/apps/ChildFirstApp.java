package dev.pythread.it.apps;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * A host that runs a plugin in a child-first class loader, as web containers and plugin hosts do: the loader
 * defines every class it can find in its own URLs (the test classes and its own pythread-api.jar) before asking
 * its parent; only {@code java.*} comes from the parent.
 */
public final class ChildFirstApp {

    private ChildFirstApp() {
    }

    /** @param args the plugin's class path: the test classes and pythread-api.jar */
    public static void main(String[] args) throws Exception {
        URL[] urls = new URL[args.length];
        for (int i = 0; i < args.length; i++) {
            urls[i] = new File(args[i]).toURI().toURL();
        }
        try (ChildFirstLoader loader = new ChildFirstLoader(urls, ChildFirstApp.class.getClassLoader())) {
            Class<?> plugin = loader.loadClass("dev.pythread.it.apps.ChildFirstPlugin");
            Out.line("plugin loaded by its own loader: " + (plugin.getClassLoader() == loader));
            ((Runnable) plugin.getConstructor().newInstance()).run();
        }
    }

    /** Child-first: its own URLs first, the parent only for what they do not have (and always for java.*). */
    static final class ChildFirstLoader extends URLClassLoader {
        ChildFirstLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null && !name.startsWith("java.")) {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notMine) {
                        loaded = null;
                    }
                }
                if (loaded == null) {
                    loaded = super.loadClass(name, false);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
