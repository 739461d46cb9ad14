package dev.pythread.it.apps;

import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.tools.Server;

/** An H2 TCP server on a free loopback port: prints {@code listening PORT}, serves until the file ARG exists. */
public final class H2App {

    private H2App() {
    }

    public static void main(String[] args) throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        Out.line("listening " + server.getPort());
        Path stop = Path.of(args[0]);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(stop) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        server.stop();
        Out.line("stopped");
    }
}
