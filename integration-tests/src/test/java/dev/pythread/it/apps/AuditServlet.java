package dev.pythread.it.apps;

import dev.pythread.Audit;
import dev.pythread.Lock;
import dev.pythread.PyThread;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The servlet of {@link TomcatApp}'s web application. {@link TomcatApp} copies its class file into the web
 * application's {@code WEB-INF/classes}, beside {@code WEB-INF/lib/pythread-api.jar}, so that Tomcat's child-first
 * web-app class loader defines this class and resolves its {@code dev.pythread} references itself. On GET it uses
 * the API (an audit event, a lock) and answers which class loaders defined it and the API, one fact a line.
 */
public final class AuditServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Instantiated by Tomcat. */
    public AuditServlet() {
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Audit.audit("app.event", "from the webapp");
        Lock lock = PyThread.allocateLock();
        boolean first = lock.acquire();
        boolean again = lock.acquire(false);
        lock.release();
        ClassLoader own = AuditServlet.class.getClassLoader();
        ClassLoader api = Audit.class.getClassLoader();
        String body = "servlet loader: " + name(own) + "\n"
                + "Audit loader: " + name(api) + "\n"
                + "Audit loader is the servlet's: " + (api == own) + "\n"
                + "PyThread and Lock from the same loader as Audit: "
                + (PyThread.class.getClassLoader() == api && Lock.class.getClassLoader() == api) + "\n"
                + "lock: acquire=" + first + " again=" + again + " locked after release=" + lock.locked() + "\n"
                + "thread: " + Thread.currentThread().getName() + "\n";
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(body);
    }

    /** {@code null} for the bootstrap loader, else the loader's class (a web-app loader's toString has many lines). */
    private static String name(ClassLoader loader) {
        return loader == null ? "null" : loader.getClass().getName();
    }
}
