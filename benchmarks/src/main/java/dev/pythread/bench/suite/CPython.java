package dev.pythread.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPython's {@code _thread} lock, the baseline the project is named after: {@code python3 -m timeit} of
 * {@code l.acquire(); l.release()} and {@code sys.getsizeof} of a lock. Its outputs are kept as
 * {@code cpython-timeit.txt} and {@code cpython-sizeof.txt}.
 *
 * @param version      implementation and version, "CPython 3.11.7"
 * @param nanosPerLoop timeit's best time of one acquire+release
 * @param sizeofBytes  {@code sys.getsizeof(_thread.allocate_lock())}
 */
record CPython(String version, double nanosPerLoop, String sizeofBytes) {

    /** "2000000 loops, best of 5: 105 nsec per loop" */
    private static final Pattern PER_LOOP = Pattern.compile("([0-9.eE+-]+) (nsec|usec|msec|sec) per loop");

    /** Measures it, or returns null when there is no {@code python3}. */
    static CPython measure(Workspace workspace, Settings settings) throws IOException {
        if (!Commands.onPath("python3")) {
            return null;
        }
        String version = Commands.output(List.of("python3", "-c",
                "import platform; print(platform.python_implementation(), platform.python_version())")).strip();
        List<String> timeit = new ArrayList<>(List.of("python3", "-m", "timeit"));
        timeit.addAll(settings.timeitOptions());
        timeit.addAll(List.of("-s", "import _thread; l=_thread.allocate_lock()", "l.acquire(); l.release()"));
        String timing = Commands.output(timeit);
        Files.writeString(workspace.result("cpython-timeit.txt"), timing);
        String sizeof = Commands.output(List.of("python3", "-c",
                "import sys, _thread; print(sys.getsizeof(_thread.allocate_lock()))"));
        Files.writeString(workspace.result("cpython-sizeof.txt"), sizeof);
        return new CPython(version, nanos(timing), sizeof.strip());
    }

    private static double nanos(String timing) {
        Matcher matcher = PER_LOOP.matcher(timing);
        if (!matcher.find()) {
            return Double.NaN;
        }
        double figure = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "nsec" -> figure;
            case "usec" -> figure * 1e3;
            case "msec" -> figure * 1e6;
            default -> figure * 1e9;
        };
    }
}
