package dev.pythread.it.apps.plugin;

import dev.pythread.it.apps.PluginHost;

/**
 * Starts a thread that runs the host's own task. The plugin defines a hidden copy of this class and hands it to the
 * host, which runs it, so that its frame — hidden from a default {@code StackWalker} — is the only plugin frame on
 * the starting stack; its no-code-source and forged-code-source copies are defined the same way.
 */
public final class HiddenStarter implements Runnable {

    @Override
    public void run() {
        Thread thread = new Thread(PluginHost.hostTask("ran scan-starter"), "scan-starter");
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
