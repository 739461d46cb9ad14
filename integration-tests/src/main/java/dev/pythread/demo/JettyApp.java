package dev.pythread.demo;

import dev.pythread.Audit;
import dev.pythread.demo.jobs.CacheWatchers;
import dev.pythread.demo.jobs.ReportJobs;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A small real server: Jetty 12 with its own thread pool, on a loopback port. {@code /hello} answers,
 * {@code /fail} starts a background "report job" thread that dies of an exception (or, when a thread policy denies
 * that start, answers 403 with the policy's message), {@code /watch} starts a "cache watcher" thread that never ends
 * (a leak, for the thread inventory), {@code /shutdown} stops the server.
 * Run as a program, it prints {@code listening PORT}, serves until {@code /shutdown}, and prints how many threads the
 * JVM started while it served (the JDK's own count, {@code ThreadMXBean.getTotalStartedThreadCount}), between two
 * audit events {@code app.phase} that let a test match that count against the audit log.
 */
public final class JettyApp {

    private final Server server;
    private final ServerConnector connector;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final AtomicInteger jobs = new AtomicInteger();
    private final AtomicInteger watchers = new AtomicInteger();

    private JettyApp() {
        QueuedThreadPool pool = new QueuedThreadPool(16, 4);
        pool.setName("jetty-pool");
        server = new Server(pool);
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String path = Request.getPathInContext(request);
                String body;
                int status = 200;
                if (path.equals("/fail")) {
                    int job = jobs.incrementAndGet();
                    try {
                        ReportJobs.start(job);
                        body = "job " + job + " started";
                    } catch (SecurityException denied) {
                        status = 403;
                        body = "job " + job + " denied: " + denied.getMessage();
                    }
                } else if (path.equals("/watch")) {
                    int watcher = watchers.incrementAndGet();
                    CacheWatchers.start(watcher);
                    body = "watcher " + watcher + " started";
                } else if (path.equals("/shutdown")) {
                    shutdown.countDown();
                    body = "bye";
                } else {
                    body = "hello from " + Thread.currentThread().getName().replaceAll("-\\d+$", "");
                }
                response.setStatus(status);
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
    }

    /** Starts a server on a free loopback port. */
    static JettyApp start() throws Exception {
        JettyApp app = new JettyApp();
        app.server.start();
        return app;
    }

    int port() {
        return connector.getLocalPort();
    }

    void awaitShutdownRequest() throws InterruptedException {
        shutdown.await();
    }

    void stop() throws Exception {
        server.stop();
    }

    /**
     * Serves until {@code /shutdown}.
     *
     * @param args ignored
     * @throws Exception if Jetty cannot start
     */
    public static void main(String[] args) throws Exception {
        JettyApp app = start();
        long startedBefore = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        Audit.audit("app.phase", "serving");
        System.out.println("listening " + app.port());
        System.out.flush();
        app.awaitShutdownRequest();
        app.stop();
        Audit.audit("app.phase", "stopped");
        long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - startedBefore;
        System.out.println("threads started while serving: " + started);
    }
}
