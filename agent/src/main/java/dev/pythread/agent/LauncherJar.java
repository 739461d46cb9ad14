package dev.pythread.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The jar an attach hands the target JVM to load: a manifest alone, naming the agent's {@code Agent-Class}, in a new
 * temporary file that the caller deletes once the target has loaded it. Both attaching commands use one: attaching
 * the agent ({@link AttachMain}) and asking a running one for its threads ({@link ThreadsClient}).
 */
final class LauncherJar {

    private LauncherJar() {
    }

    /**
     * Writes the jar.
     *
     * @param prefix     the temporary file's name prefix, for whoever finds one left behind
     * @param attributes manifest attributes beside {@code Manifest-Version} and {@code Agent-Class}
     */
    static Path write(String prefix, Map<String, String> attributes) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Agent-Class", Premain.class.getName());
        attributes.forEach(main::putValue);
        Path launcher = Files.createTempFile(prefix, ".jar");
        try (OutputStream out = Files.newOutputStream(launcher); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return launcher;
    }
}
