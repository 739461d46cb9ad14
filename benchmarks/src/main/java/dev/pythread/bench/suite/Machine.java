package dev.pythread.bench.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What RESULTS.md says of the machine, the JDK and the checkout the figures come from. Linux only, as the suite. */
final class Machine {

    private Machine() {
    }

    /** Processors this JVM may use, as {@code nproc} counts them. */
    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The first processor's model name. */
    static String cpu() {
        return read("/proc/cpuinfo").lines().filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(": ") + 2)).findFirst().orElse("unknown CPU");
    }

    /** The RAM, "23.5 GiB". */
    static String memory() {
        long kib = read("/proc/meminfo").lines().filter(line -> line.startsWith("MemTotal"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).findFirst().orElse(0);
        return Format.fixed(kib / 1048576.0, 1) + " GiB";
    }

    /** The kernel's release, as {@code uname -r} prints it. */
    static String kernel() {
        return System.getProperty("os.version");
    }

    /** The load average over 1, 5 and 15 minutes, "0.52 0.58 0.59". */
    static String loadAverage() {
        String[] fields = read("/proc/loadavg").split(" ");
        return String.join(" ", fields[0], fields[1], fields[2]);
    }

    /** Whether the machine was busy before the benchmarks: a 1-minute load of half the cores or more. */
    static boolean busy(String loadAverage) {
        return Double.parseDouble(loadAverage.split(" ")[0]) >= cores() / 2.0;
    }

    /** What {@code java -version} prints, on one line. */
    static String javaVersion(Path java) {
        return Commands.output(List.of(java.toString(), "-version")).replace('\n', ' ').replaceAll(" +", " ").strip();
    }

    /**
     * The commit checked out, and whether tracked files differ from it, apart from the report being written:
     * "3db67ec (with uncommitted changes)".
     */
    static String commit(String report) {
        String commit;
        try {
            commit = Commands.output(List.of("git", "rev-parse", "--short", "HEAD")).strip();
        } catch (IllegalStateException | UncheckedIOException notGit) {
            return "not a git checkout";
        }
        String changes = Commands.output(List.of("git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                ":(exclude)" + report));
        return changes.isBlank() ? commit : commit + " (with uncommitted changes)";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
