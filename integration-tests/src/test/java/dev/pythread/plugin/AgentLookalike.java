package dev.pythread.plugin;

import dev.pythread.it.apps.PluginHost;

/**
 * A plugin class in a package of the agent's name, {@code dev.pythread.*}: what makes a class the agent's is its
 * loader and module, not its name, so the policy decides it as the plugin's.
 */
public final class AgentLookalike implements Runnable {

    @Override
    public void run() {
        Thread thread = new Thread(PluginHost.hostTask("ran scan-lookalike"), "scan-lookalike");
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
