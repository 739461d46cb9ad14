package dev.pythread.it.apps.plugin;

/** The plugin's own kind of thread: whatever starts it, its class is the plugin's, so the policy decides it. */
final class PluginThread extends Thread {

    PluginThread(Runnable task, String name) {
        super(task, name);
    }
}
