package dev.pythread.bench.suite;

import dev.pythread.bench.ObjectSizes;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The object sizes of {@link ObjectSizes}, run in a JVM of its own: JOL needs flags that the benchmarks' JVMs must
 * not have. Its output is kept as {@code sizes.txt}.
 *
 * @param vm      its first line, the JVM's compressed-oops settings
 * @param objects each object's line, by name: instance bytes, owned bytes, owned objects
 */
record Sizes(String vm, Map<String, long[]> objects) {

    /** Runs {@link ObjectSizes}. */
    static Sizes measure(Workspace workspace) throws IOException {
        List<String> command = new ArrayList<>(List.of(workspace.java().toString(),
                "-Djdk.attach.allowAttachSelf=true")); // JOL sizes objects through Instrumentation, quietly
        int feature = Runtime.version().feature();
        if (feature >= 21) {
            command.add("-XX:+EnableDynamicAgentLoading"); // JEP 451's warning
        }
        if (feature >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // JEP 471's warning
        }
        command.addAll(List.of("-cp", workspace.benchmarks().toString(), ObjectSizes.class.getName()));
        Commands.toFiles(command, workspace.result("sizes.txt"), workspace.result("sizes.err"));

        String vm = null;
        Map<String, long[]> objects = new LinkedHashMap<>();
        for (String line : Files.readAllLines(workspace.result("sizes.txt"))) {
            String[] words = line.split(" ");
            if (words[0].equals("vm")) {
                vm = line;
            } else if (words[0].equals("size")) {
                objects.put(words[1], new long[] {Long.parseLong(words[2]), Long.parseLong(words[3]),
                    Long.parseLong(words[4])});
            }
        }
        return new Sizes(vm, objects);
    }

    /** The object alone, in bytes. */
    long instance(String object) {
        return figures(object)[0];
    }

    /** The object and what it owns, in bytes. */
    long owned(String object) {
        return figures(object)[1];
    }

    /** How many objects that is. */
    long ownedObjects(String object) {
        return figures(object)[2];
    }

    private long[] figures(String object) {
        long[] figures = objects.get(object);
        if (figures == null) {
            throw new IllegalStateException("ObjectSizes printed no line for " + object);
        }
        return figures;
    }
}
