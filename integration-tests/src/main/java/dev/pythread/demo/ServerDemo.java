package dev.pythread.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The README's main command: a real Jetty server under pythread-agent serves some load over loopback — among it three
 * requests whose background job dies — stops, and then this program reads the agent's JSONL audit log and prints
 * what it says: which threads were started, by pool, and which died of what.
 */
public final class ServerDemo {

    private ServerDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args the JSONL audit log the agent writes (its {@code audit=jsonl:PATH})
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -javaagent:pythread-agent.jar=audit=jsonl:LOG ... ServerDemo LOG");
            System.exit(2);
        }
        Path log = Path.of(args[0]);
        JettyApp server = JettyApp.start();
        System.out.println("Jetty is serving on 127.0.0.1:" + server.port() + " under pythread-agent; sending load");
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String path = i % 67 == 13 ? "/fail" : "/hello";
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build();
            responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            ok += response.join().statusCode() == 200 ? 1 : 0;
        }
        System.out.println("200 requests sent, " + ok + " answered 200 OK");
        Thread.sleep(200); // let the failing background jobs die before the server stops
        server.stop();
        System.out.println();
        AuditLogSummary.of(log, ProcessHandle.current().pid()).print(log);
        System.out.println();
        System.out.println("(the JVM still prints its own \"Exception in thread\" reports on stderr, as without the"
                + " agent)");
        System.out.println("every line of the log is one JSON record; for example, how each thread died:");
        System.out.println("  jq -c 'select(.event == \"sys.unraisablehook\") | {thread: .thread.name, "
                + "type: .args[1].excType}' " + log);
    }
}
