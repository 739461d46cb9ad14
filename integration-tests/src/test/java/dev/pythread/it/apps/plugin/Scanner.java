package dev.pythread.it.apps.plugin;

import dev.pythread.it.apps.HostedPlugin;
import dev.pythread.it.apps.Out;
import dev.pythread.it.apps.PluginHost;
import dev.pythread.it.apps.PolicyApp;
import dev.pythread.it.apps.StartPaths;
import dev.pythread.Lock;
import dev.pythread.PyThread;
import dev.pythread.plugin.AgentLookalike;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.ref.Cleaner;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.net.http.HttpClient;
import java.security.ProtectionDomain;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;

/**
 * "Plugin" code for the policy tests, every way a plugin gets a thread. {@link PolicyApp} uses it from the
 * application's class path; {@link PluginHost} loads it from {@code plugins/scanner.jar} with a loader of its own.
 */
public final class Scanner implements HostedPlugin {

    @Override
    public void act(String action) throws Exception {
        switch (action) {
            case "direct":
                startDirect();
                break;
            case "helper":
                startThroughHelper();
                break;
            case "pool":
                submitToHostPool();
                break;
            case "virtual":
                startVirtual();
                break;
            case "runAsync":
                runAsync();
                break;
            case "commonpool":
                submitToCommonPool();
                break;
            case "pythread":
                startThroughPyThread();
                break;
            case "posingworker":
                startPosingWorker();
                break;
            case "reflect":
                switchThePolicyOffByReflection();
                break;
            case "systemgroup":
                startInGroup(systemGroup(), "scan-system");
                break;
            case "childofsystem":
                startInGroup(new ThreadGroup(systemGroup(), "plugin-group"), "scan-childofsystem");
                break;
            case "cleaner":
                Cleaner.create();
                Out.line("ran scan-cleaner");
                break;
            case "httpclient":
                HttpClient.newHttpClient();
                Out.line("ran scan-httpclient");
                break;
            case "hook":
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Out.line("ran scan-hook")));
                break;
            case "attach":
                attachToThisJvm();
                break;
            case "unsafe":
                switchThePolicyOffWithUnsafe();
                break;
            default:
                throw new IllegalArgumentException(action);
        }
    }

    @Override
    public Object provide(String what) throws Exception {
        switch (what) {
            case "task":
                return (Runnable) () -> Out.line("ran scan-task");
            case "factory":
                return (ThreadFactory) task -> new PluginThread(task, "scan-factory");
            case "hookthread":
                return new PluginThread(() -> Out.line("ran scan-hook"), "scan-hook");
            case "lookalike":
                return new AgentLookalike();
            case "hidden":
                return MethodHandles.lookup().defineHiddenClass(classFile(HiddenStarter.class), true).lookupClass()
                        .getConstructor().newInstance();
            case "nullsource":
                return new Definer().define(null);
            case "forgedsource":
                // Claims the host's own code source: the loader that defined it is still the plugin's.
                return new Definer().define(new ProtectionDomain(PluginHost.class.getProtectionDomain().getCodeSource(),
                        null));
            default:
                throw new IllegalArgumentException(what);
        }
    }

    /** What a plugin would try first: the agent's state, by reflection and by a private lookup. */
    private static void switchThePolicyOffByReflection() throws Exception {
        Class<?> dispatch = Class.forName("dev.pythread.agent.ThreadDispatch");
        Field policy = dispatch.getDeclaredField("policy");
        try {
            policy.setAccessible(true);
            policy.set(null, null);
            Out.line("reflect opened the policy");
        } catch (InaccessibleObjectException refused) {
            Out.line("reflect refused: " + refused.getMessage());
        }
        Out.line("reflect trySetAccessible " + policy.trySetAccessible());
        try {
            MethodHandles.privateLookupIn(dispatch, MethodHandles.lookup())
                    .findStaticVarHandle(dispatch, "policy", policy.getType()).set((Object) null);
            Out.line("reflect looked up the policy");
        } catch (IllegalAccessException refused) {
            Out.line("reflect lookup refused: " + refused.getMessage());
        }
        Constructor<?> agentThread = Class.forName("dev.pythread.agent.AgentThread")
                .getDeclaredConstructor(Runnable.class, String.class);
        try {
            agentThread.setAccessible(true);
            Out.line("reflect opened AgentThread");
        } catch (InaccessibleObjectException refused) {
            Out.line("reflect refused: " + refused.getMessage());
        }
    }

    /**
     * {@code sun.misc.Unsafe} on the policy's field (reflection for its methods: the class is a JDK-internal API).
     * Out of reach of any in-process check, unless the JVM refuses Unsafe's memory access (JDK 23+).
     */
    private static void switchThePolicyOffWithUnsafe() throws Exception {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Object unsafe = theUnsafe.get(null);
        Field policy = Class.forName("dev.pythread.agent.ThreadDispatch").getDeclaredField("policy");
        try {
            Object base = unsafeClass.getMethod("staticFieldBase", Field.class).invoke(unsafe, policy);
            long offset = (long) unsafeClass.getMethod("staticFieldOffset", Field.class).invoke(unsafe, policy);
            unsafeClass.getMethod("putObjectVolatile", Object.class, long.class, Object.class)
                    .invoke(unsafe, base, offset, null);
            Out.line("unsafe wrote the policy");
        } catch (InvocationTargetException refused) {
            Out.line("unsafe refused: " + refused.getCause());
        }
    }

    private static ThreadGroup systemGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) {
            group = group.getParent();
        }
        return group;
    }

    private static void startInGroup(ThreadGroup group, String name) throws InterruptedException {
        Thread thread = new Thread(group, () -> Out.line("ran " + name), name);
        thread.start();
        thread.join();
    }

    /** The attach API on this very JVM (which {@code -Djdk.attach.allowAttachSelf=true} permits), by reflection. */
    private static void attachToThisJvm() throws Exception {
        Class<?> vm = Class.forName("com.sun.tools.attach.VirtualMachine");
        Object attached;
        try {
            attached = vm.getMethod("attach", String.class).invoke(null,
                    String.valueOf(ProcessHandle.current().pid()));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SecurityException) {
                throw (SecurityException) e.getCause();
            }
            throw e;
        }
        vm.getMethod("detach").invoke(attached);
        Out.line("ran scan-attach");
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    /** A class loader of the plugin's own: defines a copy of {@link HiddenStarter} with the domain it is given. */
    private static final class Definer extends ClassLoader {
        Definer() {
            super(Scanner.class.getClassLoader());
        }

        Runnable define(ProtectionDomain domain) throws Exception {
            byte[] bytes = classFile(HiddenStarter.class);
            Class<?> copy = defineClass(HiddenStarter.class.getName(), bytes, 0, bytes.length, domain);
            return (Runnable) copy.getConstructor().newInstance();
        }
    }

    private void startDirect() throws InterruptedException {
        Thread thread = new Thread(() -> Out.line("ran scan-direct"), "scan-direct");
        thread.start();
        thread.join();
    }

    /** Through the application's helper: the chain still holds this frame. */
    private void startThroughHelper() throws InterruptedException {
        PolicyApp.startWorker("scan-worker");
    }

    /** A task for the host's pool, which has no worker yet: the pool must start one on this stack. */
    private void submitToHostPool() throws Exception {
        PluginHost.POOL.submit(() -> Out.line("ran scan-pooled")).get();
    }

    /** A virtual thread (JDK 21+): checked like any other. */
    private void startVirtual() throws Exception {
        StartPaths.startNamedVirtual("plugin-virtual", () -> Out.line("ran plugin-virtual")).join();
    }

    /**
     * {@code CompletableFuture.runAsync}: the JVM-wide common pool (or, on JDK 17 where its parallelism is 1, the
     * thread per task that stands in for it), which the policy counts as JDK infrastructure.
     */
    private void runAsync() throws Exception {
        CompletableFuture.runAsync(() -> Out.line("ran scan-async")).get();
    }

    /**
     * {@code PyThread.startNewThread}: the thread's class is the API's own worker, defined by the bootstrap loader,
     * but what it runs is this plugin's code, so it is decided like any other start.
     */
    private void startThroughPyThread() {
        Lock ran = PyThread.allocateLock();
        ran.acquire(true, -1);
        PyThread.startNewThread(() -> {
            Out.line("ran scan-pythread");
            ran.release();
        });
        ran.acquire(true, -1);
    }

    /** A thread of the plugin's own class that names the common pool as its pool, to pass as one of its workers. */
    private void startPosingWorker() throws InterruptedException {
        Thread thread = new PosingWorker();
        thread.start();
        thread.join();
    }

    private static final class PosingWorker extends ForkJoinWorkerThread {
        PosingWorker() {
            super(ForkJoinPool.commonPool());
        }

        @Override
        public void run() {
            Out.line("ran scan-posing");
        }
    }

    /** A task on the common pool itself, whose workers are JDK infrastructure. */
    private void submitToCommonPool() throws Exception {
        ForkJoinPool.commonPool().submit(() -> Out.line("ran scan-common")).get();
    }
}
