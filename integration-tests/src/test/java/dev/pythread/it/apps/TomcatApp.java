package dev.pythread.it.apps;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat 11 serving a web application that carries its own {@code pythread-api.jar}: it lays out an
 * exploded web application ({@code WEB-INF/lib/pythread-api.jar}, {@code WEB-INF/classes/…/AuditServlet.class},
 * {@code WEB-INF/web.xml} mapping the servlet to {@code /audit}), deploys it at {@code /app} with
 * {@code Tomcat.addWebapp} — so Tomcat's own web-app class loader, child-first for everything but the JDK and the
 * Servlet API, defines the servlet and resolves its {@code dev.pythread} references — on a free loopback port,
 * prints {@code listening PORT}, serves until {@code GET /shutdown} (a servlet of the root context, loaded here),
 * stops and prints {@code stopped}.
 *
 * <p>Arguments: the web application's directory (created), the {@code pythread-api.jar} to copy into it,
 * Tomcat's base directory (created).
 */
public final class TomcatApp {

    private static final String SERVLET = "dev.pythread.it.apps.AuditServlet";

    private TomcatApp() {
    }

    public static void main(String[] args) throws Exception {
        Path webapp = Path.of(args[0]);
        Path apiJar = Path.of(args[1]);
        Path baseDir = Path.of(args[2]);
        layOut(webapp, apiJar);
        Files.createDirectories(baseDir);

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        Connector connector = tomcat.getConnector();
        connector.setProperty("address", "127.0.0.1");
        tomcat.setAddDefaultWebXmlToWebapp(false); // no JSP servlet: Jasper is not on the class path
        tomcat.addWebapp("/app", webapp.toString());

        CountDownLatch shutdown = new CountDownLatch(1);
        Path rootDocs = Files.createDirectories(baseDir.resolve("root"));
        Context root = tomcat.addContext("", rootDocs.toString());
        Tomcat.addServlet(root, "shutdown", new ShutdownServlet(shutdown));
        root.addServletMappingDecoded("/shutdown", "shutdown");

        tomcat.start();
        System.out.println("listening " + connector.getLocalPort());
        System.out.flush();
        shutdown.await();
        tomcat.stop();
        tomcat.destroy();
        System.out.println("stopped");
    }

    /** The exploded web application, with the servlet's class file(s) copied from where this class was loaded. */
    private static void layOut(Path webapp, Path apiJar) throws IOException {
        Path lib = Files.createDirectories(webapp.resolve("WEB-INF/lib"));
        Files.copy(apiJar, lib.resolve("pythread-api.jar"), StandardCopyOption.REPLACE_EXISTING);
        String packagePath = SERVLET.substring(0, SERVLET.lastIndexOf('.')).replace('.', '/');
        String simpleName = SERVLET.substring(SERVLET.lastIndexOf('.') + 1);
        Path from;
        try {
            from = Path.of(TomcatApp.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .resolve(packagePath);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path to = Files.createDirectories(webapp.resolve("WEB-INF/classes").resolve(packagePath));
        int copied = 0;
        try (DirectoryStream<Path> classes = Files.newDirectoryStream(from, simpleName + "{,$*}.class")) {
            for (Path file : classes) {
                Files.copy(file, to.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                copied++;
            }
        }
        if (copied == 0) {
            throw new IllegalStateException("no class file of " + SERVLET + " in " + from);
        }
        String webXml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.1\" metadata-complete=\"true\">\n"
                + "  <servlet><servlet-name>audit</servlet-name><servlet-class>" + SERVLET
                + "</servlet-class></servlet>\n"
                + "  <servlet-mapping><servlet-name>audit</servlet-name><url-pattern>/audit</url-pattern>"
                + "</servlet-mapping>\n"
                + "</web-app>\n";
        Files.writeString(webapp.resolve("WEB-INF/web.xml"), webXml, StandardCharsets.UTF_8);
    }

    /** Counts the latch down that {@code main} waits on. */
    private static final class ShutdownServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient CountDownLatch shutdown;

        ShutdownServlet(CountDownLatch shutdown) {
            this.shutdown = shutdown;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            try {
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().write("bye");
                response.flushBuffer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            shutdown.countDown();
        }
    }
}
