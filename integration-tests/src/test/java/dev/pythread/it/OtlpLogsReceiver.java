package dev.pythread.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP logs receiver on loopback, for a child JVM whose OpenTelemetry agent exports with
 * {@code otel.exporter.otlp.logs.protocol=http/protobuf}: {@code POST /v1/logs} with an {@code ExportLogsServiceRequest}
 * (gzip or not), decoded with the official generated classes, answered {@code 200} with an empty
 * {@code ExportLogsServiceResponse} (the full-success answer of the OTLP specification). Anything else — another
 * method, a body that does not decode — is answered 400 and counted, so that a test can fail on it.
 */
final class OtlpLogsReceiver implements AutoCloseable {

    /** One log record as it arrived, with the name of the instrumentation scope it came under. */
    record Received(String scope, LogRecord record) {
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> rejected = new ArrayList<>();

    private OtlpLogsReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/logs", this::handle);
        server.start();
    }

    /** Starts a receiver on a free loopback port. */
    static OtlpLogsReceiver start() throws IOException {
        return new OtlpLogsReceiver();
    }

    /** The value for {@code otel.exporter.otlp.logs.endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/logs";
    }

    /** Every log record received so far, in arrival order. */
    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** How many export requests were answered 200. */
    int requests() {
        return requests.get();
    }

    /** A description of every request answered 400. */
    synchronized List<String> rejected() {
        return List.copyOf(rejected);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            ExportLogsServiceRequest request;
            try {
                if (!exchange.getRequestMethod().equals("POST")) {
                    throw new IOException("method " + exchange.getRequestMethod());
                }
                String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
                InputStream body = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(encoding)) {
                    body = new GZIPInputStream(body);
                }
                request = ExportLogsServiceRequest.parseFrom(body.readAllBytes());
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    rejected.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": " + e);
                }
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            synchronized (this) {
                for (ResourceLogs resource : request.getResourceLogsList()) {
                    for (ScopeLogs scope : resource.getScopeLogsList()) {
                        for (LogRecord record : scope.getLogRecordsList()) {
                            received.add(new Received(scope.getScope().getName(), record));
                        }
                    }
                }
            }
            requests.incrementAndGet();
            byte[] answer = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
