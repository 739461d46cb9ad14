package dev.pythread.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A plugin host, as the thread policy is meant for: it loads every jar of a {@code plugins/} folder with a class loader
 * of its own and lets the plugin perform the actions named on the command line, starting threads of its own before and
 * after. Arguments: {@code PLUGINS_DIR [--await FILE] ACTION...}; with {@code --await} it prints {@code ready PID} and
 * waits for FILE to exist (the attach test attaches the agent meanwhile).
 */
public final class PluginHost {

    /** The host's own pool, shared with plugins; no worker is started until the first task arrives. */
    public static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    private static final String PLUGIN_PACKAGE = "dev.pythread.it.apps.plugin.";
    /** The plugin's class in a package of the agent's name (see {@code AgentLookalike}). */
    private static final String LOOKALIKE_PACKAGE = "dev.pythread.plugin.";

    private PluginHost() {
    }

    public static void main(String[] args) throws Exception {
        int next = 1;
        if (args.length > 2 && args[1].equals("--await")) {
            awaitGo(Path.of(args[2]));
            next = 3;
        }
        PolicyApp.startWorker("host-before");
        for (Path jar : jars(Path.of(args[0]))) {
            try (PluginLoader loader = new PluginLoader(jar)) {
                HostedPlugin plugin = (HostedPlugin) loader.loadClass(PLUGIN_PACKAGE + "Scanner")
                        .getConstructor().newInstance();
                for (int i = next; i < args.length; i++) {
                    try {
                        if (args[i].startsWith("host-")) {
                            useOnTheHostsStack(plugin, args[i]);
                        } else {
                            plugin.act(args[i]);
                        }
                    } catch (SecurityException denied) {
                        Out.line(args[i] + " denied: " + denied.getMessage());
                    }
                }
            }
        }
        POOL.submit(() -> Out.line("ran host-pooled")).get();
        PolicyApp.startWorker("host-after");
        POOL.shutdown();
        if (!POOL.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the host's pool did not stop");
        }
    }

    /** A task of the host's own: a lambda of this class, which any policy that lets the host run allows. */
    public static Runnable hostTask(String line) {
        return () -> Out.line(line);
    }

    /**
     * The host uses what the plugin provides, with no plugin frame on its stack: {@code host-run:WHAT} runs a
     * plugin's {@code Runnable}; {@code host-task} starts a thread of the host's with the plugin's task;
     * {@code host-factory} runs a host task in a pool made with the plugin's {@code ThreadFactory};
     * {@code host-hook} registers the plugin's thread as a shutdown hook; {@code host-nullsource} runs a class the
     * host itself defined with no code source.
     */
    private static void useOnTheHostsStack(HostedPlugin plugin, String action) throws Exception {
        if (action.startsWith("host-run:")) {
            ((Runnable) plugin.provide(action.substring("host-run:".length()))).run();
            return;
        }
        switch (action) {
            case "host-task":
                Thread thread = new Thread((Runnable) plugin.provide("task"), "host-task");
                thread.start();
                thread.join();
                break;
            case "host-factory":
                ExecutorService pool = Executors.newSingleThreadExecutor((ThreadFactory) plugin.provide("factory"));
                try {
                    pool.submit(hostTask("ran host-factory-task")).get();
                } finally {
                    pool.shutdownNow();
                }
                break;
            case "host-hook":
                Runtime.getRuntime().addShutdownHook((Thread) plugin.provide("hookthread"));
                break;
            case "host-nullsource":
                NoCodeSourceLoader.defineStarter().run();
                break;
            default:
                throw new IllegalArgumentException(action);
        }
    }

    private static List<Path> jars(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }

    private static void awaitGo(Path go) throws InterruptedException {
        Out.line("ready " + ProcessHandle.current().pid());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("never told to go");
            }
            Thread.sleep(10);
        }
    }

    /**
     * Defines the plugin's own classes from its jar (so their code source is that jar, as in a real plugin host) and
     * asks the application's loader for everything else, the host's API included.
     */
    private static final class PluginLoader extends URLClassLoader {
        PluginLoader(Path jar) throws IOException {
            super(new URL[] {jar.toUri().toURL()}, PluginHost.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PLUGIN_PACKAGE) && !name.startsWith(LOOKALIKE_PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }

    /**
     * The host's own loader for generated code, which defines a copy of the plugin package's {@code HiddenStarter}
     * with no code source at all, as some bytecode generators do: only a {@code from no-code-source} rule allows it.
     */
    private static final class NoCodeSourceLoader extends ClassLoader {
        NoCodeSourceLoader() {
            super(PluginHost.class.getClassLoader());
        }

        static Runnable defineStarter() throws Exception {
            String name = PLUGIN_PACKAGE + "HiddenStarter";
            byte[] bytes;
            try (InputStream in = PluginHost.class.getResourceAsStream("plugin/HiddenStarter.class")) {
                bytes = in.readAllBytes();
            }
            Class<?> starter = new NoCodeSourceLoader().defineClass(name, bytes, 0, bytes.length);
            return (Runnable) starter.getConstructor().newInstance();
        }
    }
}
