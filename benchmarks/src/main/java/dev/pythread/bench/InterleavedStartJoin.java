package dev.pythread.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thread start+join under several JVM configurations — no agent, the agent with each sink, the floor — measured
 * side by side: one {@link StartJoinBlocks} JVM per configuration, all alive at once, and only one of them running
 * at a time. In each round every JVM runs one block of starts, in turn (forward in odd rounds, backward in even
 * ones); a round takes about a second. So each configuration is compared with a baseline measured a fraction of a
 * second away, not a minute away as with a fresh fork per configuration: the machine's drift, which on a shared
 * 2-core machine moves a thread start by tens of percent within minutes, cancels out of the per-round ratios.
 *
 * <p>usage: {@code InterleavedStartJoin JAVA CLASSPATH ROUNDS STARTS WARMUP OUT NAME ARGS [NAME ARGS]...} — ARGS
 * is one argument, the configuration's JVM options separated by spaces (no option may contain one), plus
 * {@code floor:STEP} to put {@link RecordFloor} work before each start. Writes OUT: a tab-separated header of the
 * names, then one line per measured round with each configuration's nanoseconds per start+join.
 */
public final class InterleavedStartJoin {

    /** One configuration's JVM. */
    private static final class Worker implements AutoCloseable {
        final Process process;
        final PrintWriter commands;
        final BufferedReader results;

        Worker(String java, String classPath, String args) throws IOException {
            List<String> command = new ArrayList<>(List.of(java));
            List<String> programArgs = new ArrayList<>();
            for (String arg : args.trim().split("\\s+")) {
                if (arg.startsWith("floor:")) {
                    programArgs.add(arg);
                } else if (!arg.isEmpty()) {
                    command.add(arg);
                }
            }
            command.addAll(List.of("-cp", classPath, StartJoinBlocks.class.getName()));
            command.addAll(programArgs);
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII);
            results = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        }

        long block(int starts) throws IOException {
            commands.println(starts);
            String line = results.readLine();
            if (line == null) {
                throw new IOException("a worker JVM ended early (its error output is above): " + process.info());
            }
            return Long.parseLong(line.trim());
        }

        @Override
        public void close() throws InterruptedException {
            commands.close();
            process.waitFor();
        }
    }

    private InterleavedStartJoin() {
    }

    /**
     * One configuration's JVM, for {@link #run}.
     *
     * @param name its column's header
     * @param args its JVM options separated by spaces (no option may contain one), plus {@code floor:STEP}
     */
    public record Jvm(String name, String args) {
    }

    /**
     * Runs the rounds and writes {@code out} as {@link #main} does.
     *
     * @param java      the {@code java} of every JVM
     * @param classPath their class path, which holds {@link StartJoinBlocks}
     * @param rounds    measured rounds, after {@code warmup} rounds
     * @param starts    start+joins per JVM and round
     * @param warmup    rounds not measured
     * @param jvms      the JVMs, in the order of odd rounds
     * @param out       the table to write
     * @return one array per measured round: each JVM's nanoseconds per start+join, in the order of {@code jvms}
     */
    public static List<long[]> run(String java, String classPath, int rounds, int starts, int warmup, List<Jvm> jvms,
            Path out) throws IOException, InterruptedException {
        List<long[]> measured = new ArrayList<>();
        List<Worker> workers = new ArrayList<>();
        try {
            for (Jvm jvm : jvms) {
                workers.add(new Worker(java, classPath, jvm.args()));
            }
            try (Writer table = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                table.write(jvms.stream().map(Jvm::name).collect(Collectors.joining("\t")) + "\n");
                for (int round = 1 - warmup; round <= rounds; round++) {
                    long[] nanos = new long[workers.size()];
                    for (int k = 0; k < workers.size(); k++) {
                        int i = Math.floorMod(round, 2) == 1 ? k : workers.size() - 1 - k;
                        nanos[i] = workers.get(i).block(starts);
                    }
                    if (round >= 1) {
                        measured.add(nanos);
                        table.write(String.join("\t", Arrays.stream(nanos).mapToObj(Long::toString)
                                .toArray(String[]::new)) + "\n");
                    }
                }
            }
        } finally {
            for (Worker worker : workers) {
                worker.close();
            }
        }
        return measured;
    }

    /**
     * @param args {@code JAVA CLASSPATH ROUNDS STARTS WARMUP OUT NAME ARGS [NAME ARGS]...}
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 8 || args.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "usage: InterleavedStartJoin JAVA CLASSPATH ROUNDS STARTS WARMUP OUT NAME ARGS [NAME ARGS]...");
        }
        List<Jvm> jvms = new ArrayList<>();
        for (int i = 6; i < args.length; i += 2) {
            jvms.add(new Jvm(args[i], args[i + 1]));
        }
        run(args[0], args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), jvms,
                Path.of(args[5]));
    }
}
