package dev.pythread.it.apps;

import dev.pythread.it.apps.plugin.Scanner;

/** Starts threads from application code and from "plugin" code, printing what the thread policy let through. */
public final class PolicyApp {

    private PolicyApp() {
    }

    public static void main(String[] args) throws Exception {
        Scanner plugin = new Scanner();
        for (String mode : args) {
            try {
                switch (mode) {
                    case "app":
                        startWorker("app-worker");
                        break;
                    case "plugin":
                        plugin.act("helper");
                        break;
                    default:
                        plugin.act(mode);
                }
            } catch (SecurityException e) {
                Out.line("denied: " + e.getMessage());
            }
        }
    }

    /** The application's helper that plugins call to start a thread. */
    public static void startWorker(String name) throws InterruptedException {
        Thread thread = new Thread(() -> Out.line("ran " + name), name);
        thread.start();
        thread.join();
    }
}
