package dev.pythread.bench.suite;

import static dev.pythread.bench.suite.Format.fixed;
import static dev.pythread.bench.suite.Format.row;
import static dev.pythread.bench.suite.Format.signed;
import static dev.pythread.bench.suite.Format.verdict;
import static dev.pythread.bench.suite.Format.withError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RESULTS.md: the template {@code RESULTS.md.template} beside this class, which holds the prose and the tables'
 * headers, with its {@code {{name}}} places filled in — the figures, and the rows of the tables. The rows of the
 * thread-start tables come from {@link StartTables}.
 */
final class Report {

    private static final Pattern PLACE = Pattern.compile("\\{\\{(\\w+)\\}\\}");

    /** The overloads of {@code Audit.audit} that {@code AuditBenchmark} measures, in its table's order. */
    private static final List<String> AUDIT_OVERLOADS = List.of("audit0", "audit1", "audit2", "audit3",
            "audit4Varargs");

    private final Settings settings;
    private final Measurements measured;
    private final StartTables starts;
    private final Map<String, String> values = new HashMap<>();

    /**
     * @param seconds how long the run took, build included
     */
    Report(Settings settings, Measurements measured, long seconds) {
        this.settings = settings;
        this.measured = measured;
        this.starts = new StartTables(measured.starts(), measured.interleaved());
        header(seconds);
        targets();
        interleaved();
        everyFigure();
    }

    /** "1 min 48 s" */
    static String duration(long seconds) {
        return seconds / 60 + " min " + seconds % 60 + " s";
    }

    /** The report. */
    String text() {
        try (InputStream in = Report.class.getResourceAsStream("RESULTS.md.template")) {
            return fill(new String(in.readAllBytes(), StandardCharsets.UTF_8), values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code template} with each {@code {{name}}} replaced by its value; every place and every value must match. */
    static String fill(String template, Map<String, String> values) {
        Set<String> unused = new HashSet<>(values.keySet());
        String text = PLACE.matcher(template).replaceAll(place -> {
            String value = values.get(place.group(1));
            if (value == null) {
                throw new IllegalStateException("the report has no value for " + place.group());
            }
            unused.remove(place.group(1));
            return Matcher.quoteReplacement(value);
        });
        if (!unused.isEmpty()) {
            throw new IllegalStateException("the template has no place for " + unused);
        }
        return text;
    }

    private void header(long seconds) {
        put("quickNote",
                settings.quick() ? " **--quick: a smoke run, tiny iterations, the figures mean nothing**" : "");
        put("date", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(ZonedDateTime.now(ZoneOffset.UTC)));
        put("duration", duration(seconds));
        put("commit", Machine.commit(settings.output()));
        put("cores", Integer.toString(Machine.cores()));
        put("cpu", Machine.cpu());
        put("memory", Machine.memory());
        put("kernel", Machine.kernel());
        put("loadBefore", measured.loadBefore());
        put("loadAfter", measured.loadAfter());
        put("busy", !Machine.busy(measured.loadBefore()) ? ""
                : " **The machine was busy with other work** (see the load average): expect the contended and"
                + " thread-start\n  figures to move by tens of percent from run to run; the uncontended ones, within"
                + " their error bars, much less.");
        String javaHome = System.getenv().getOrDefault("JAVA_HOME", System.getProperty("java.home"));
        put("javaHome", javaHome);
        put("javaVersion", Machine.javaVersion(Path.of(System.getProperty("java.home"), "bin", "java")));
    }

    /** The table against the targets of issues 7, 9 and 11. */
    private void targets() {
        Scores lock = measured.lock();
        Scores contended = measured.contended();
        List<String> rows = new ArrayList<>();
        rows.add(row("`Lock` uncontended `acquire()`+`release()`", lockFigure("lockAcquireRelease", 2) + " ns",
                "`Semaphore(1)` acquire+release " + lockFigure("semaphoreAcquireRelease", 2) + " ns; `ReentrantLock` "
                        + lockFigure("reentrantLockLockUnlock", 2) + " ns; `synchronized` "
                        + lockFigure("synchronizedBlock", 2) + " ns",
                ratio(lock, "lockAcquireRelease", lock, "semaphoreAcquireRelease") + " `Semaphore(1)`"
                        + noise(lock, "lockAcquireRelease", lock, "semaphoreAcquireRelease"),
                "≤ 1.0× `Semaphore(1)`",
                verdict(lock.score("lockAcquireRelease") / lock.score("semaphoreAcquireRelease") <= 1.0)));
        rows.add(cpythonRow());
        rows.add(row("`try (var h = lock.enter())`", lockFigure("lockEnterTryWithResources", 2) + " ns",
                "`Semaphore(1)` in try/finally " + lockFigure("semaphoreTryFinally", 2) + " ns",
                ratio(lock, "lockEnterTryWithResources", lock, "semaphoreTryFinally")
                        + noise(lock, "lockEnterTryWithResources", lock, "semaphoreTryFinally"),
                "≤ 1.0×",
                verdict(lock.score("lockEnterTryWithResources") / lock.score("semaphoreTryFinally") <= 1.0)));
        rows.add(row("`acquire(false)` on a held lock", lockFigure("lockTryAcquireHeld", 3) + " ns",
                "`Semaphore.tryAcquire()` on a drained semaphore " + lockFigure("semaphoreTryAcquireDrained", 3)
                        + " ns",
                ratio(lock, "lockTryAcquireHeld", lock, "semaphoreTryAcquireDrained")
                        + noise(lock, "lockTryAcquireHeld", lock, "semaphoreTryAcquireDrained"),
                "≤ 1.0×",
                verdict(lock.score("lockTryAcquireHeld") / lock.score("semaphoreTryAcquireDrained") <= 1.0)));
        rows.add(row("contended: 2 threads hammering one lock (throughput)",
                withError(contended.score("lock"), contended.error("lock"), 1) + " ops/µs",
                "`Semaphore(1)` " + withError(contended.score("semaphore"), contended.error("semaphore"), 1)
                        + " ops/µs; `ReentrantLock` "
                        + withError(contended.score("reentrantLock"), contended.error("reentrantLock"), 1) + " ops/µs",
                ratio(contended, "lock", contended, "semaphore") + " `Semaphore(1)`"
                        + noise(contended, "lock", contended, "semaphore") + ", "
                        + ratio(contended, "lock", contended, "reentrantLock") + " `ReentrantLock`",
                "≥ 1.0× `Semaphore(1)`",
                verdict(contended.score("lock") / contended.score("semaphore") >= 1.0)));
        rows.add(auditRow());
        rows.add(sizeRow());
        rows.addAll(starts.targetRows(measured.checks().get(Configuration.POLICY)));
        rows.add(startUpRow());
        put("targetRows", String.join("\n", rows));
    }

    private String lockFigure(String method, int decimals) {
        return withError(measured.lock().score(method), measured.lock().error(method), decimals);
    }

    /** "0.507×": one figure over another, of the same run. */
    private static String ratio(Scores a, String methodA, Scores b, String methodB) {
        return fixed(a.score(methodA) / b.score(methodB), 3) + "×";
    }

    /** The note on a ratio whose two figures' 99.9% intervals overlap. */
    private static String noise(Scores a, String methodA, Scores b, String methodB) {
        return Stats.withinNoise(a.score(methodA), a.error(methodA), b.score(methodB), b.error(methodB))
                ? " (intervals overlap: within noise)" : "";
    }

    private String cpythonRow() {
        String lock = fixed(measured.lock().score("lockAcquireRelease"), 2) + " ns";
        CPython cpython = measured.cpython();
        if (cpython == null) {
            return row("the same vs CPython's `_thread` lock", lock, "not measured: python3 not found", "–",
                    "≥ 5× faster", "not measured");
        }
        double faster = cpython.nanosPerLoop() / measured.lock().score("lockAcquireRelease");
        return row("the same vs CPython's `_thread` lock", lock, cpython.version() + " `l.acquire(); l.release()`: "
                + fixed(cpython.nanosPerLoop(), 1) + " ns (timeit, best of 5)", fixed(faster, 1) + "× faster",
                "≥ 5× faster", verdict(faster >= 5));
    }

    /** The slowest overload of {@code Audit.audit} against an empty static call, and the most any allocates. */
    private String auditRow() {
        Scores audit = measured.audit();
        String slowest = "";
        double slowestScore = 0;
        double mostAllocated = 0;
        for (String overload : AUDIT_OVERLOADS) {
            if (audit.score(overload) > slowestScore) {
                slowest = overload;
                slowestScore = audit.score(overload);
            }
            mostAllocated = Math.max(mostAllocated, audit.allocation(overload));
        }
        double empty = audit.score("emptyStaticCall");
        return row("`Audit.audit(...)` with no hook", "slowest overload (`" + slowest + "`) " + fixed(slowestScore, 3)
                + " ns, at most " + fixed(mostAllocated, 3) + " B/op",
                "empty static call " + withError(empty, audit.error("emptyStaticCall"), 3) + " ns",
                signed(slowestScore - empty, 3) + " ns", "≤ 2 ns, 0 B/op",
                verdict(slowestScore <= 2 && mostAllocated < 1));
    }

    private String sizeRow() {
        Sizes sizes = measured.sizes();
        CPython cpython = measured.cpython();
        String cpythonSize = cpython == null
                ? "; CPython 3.11: 56 B + the native lock (from the issue; python3 not found here)"
                : "; " + cpython.version() + ": `sys.getsizeof` " + cpython.sizeofBytes() + " B + the native lock";
        return row("`Lock` instance size (JOL)",
                sizes.instance("Lock") + " B (" + sizes.ownedObjects("Lock") + " object)",
                "`Semaphore(1)` " + sizes.instance("Semaphore(1)") + " B + its `Sync` = " + sizes.owned("Semaphore(1)")
                        + " B; `ReentrantLock` " + sizes.instance("ReentrantLock") + " B + `Sync` = "
                        + sizes.owned("ReentrantLock") + " B" + cpythonSize,
                fixed((double) sizes.owned("Lock") / sizes.owned("Semaphore(1)"), 2) + "× `Semaphore(1)`",
                "≤ 24 B", verdict(sizes.owned("Lock") <= 24));
    }

    private String startUpRow() {
        StartUp startUp = measured.startUp();
        long millis = startUp.agentMillis() - startUp.plainMillis();
        // The verdict judges the figure shown, to a tenth of a MiB.
        double mib = Double.parseDouble(fixed((startUp.agentKib() - startUp.plainKib()) / 1024.0, 1));
        return row("JVM start-up, hello-world + one thread, with the agent",
                startUp.agentMillis() + " ms, " + fixed(startUp.agentKib() / 1024.0, 1) + " MiB peak RSS",
                "same JVM without the agent: " + startUp.plainMillis() + " ms, "
                        + fixed(startUp.plainKib() / 1024.0, 1) + " MiB",
                "**" + signed(millis, 0) + " ms, " + signed(mib, 1) + " MiB**", "≤ +120 ms, ≤ +25 MiB",
                verdict(millis <= 120 && mib <= 25));
    }

    private void interleaved() {
        put("ilForks", Integer.toString(settings.jvmsEach()));
        put("ilJvms", InterleavedRounds.jvmCounts(settings));
        put("ilRounds", Integer.toString(settings.rounds()));
        put("ilBatches", Integer.toString(settings.batches()));
        put("ilBatchRounds", Integer.toString(settings.roundsPerBatch()));
        put("ilWarmup", Integer.toString(settings.warmupRounds()));
        put("ilJfrWarmup", Integer.toString(settings.jfrWarmupRounds()));
        put("ilJvmsInAll", Integer.toString(settings.batches() * settings.jvmsEach()));
        put("ilStarts", Integer.toString(settings.starts()));
        put("interleavedRows", String.join("\n", starts.interleavedRows()));
        put("ilFloorWrite", starts.interleavedRatio(Floor.WRITE, null));
        put("ilNocaller", starts.interleavedRatio(Configuration.NOCALLER));
        put("ilFloorWalk", starts.interleavedRatio(Floor.WALK, null));
        put("ilFloorHash", starts.interleavedRatio(Floor.HASH, null));
        put("ilWalkShare", starts.interleavedRatio(Floor.WALK, Floor.WRITE));
        put("ilChainVerified", measured.interleaved().verification());
        put("ilJfrThreadStart", starts.interleavedRatio(Configuration.JFR_THREAD_START));
        put("ilJfrDefault", starts.interleavedRatio(Configuration.JFR_DEFAULT));
    }

    private void everyFigure() {
        for (String method : List.of("lockAcquireRelease", "semaphoreAcquireRelease",
                "semaphoreAcquireUninterruptiblyRelease", "reentrantLockLockUnlock", "synchronizedBlock",
                "lockEnterTryWithResources", "semaphoreTryFinally")) {
            put(method, lockFigure(method, 2));
        }
        put("lockTryAcquireHeld", lockFigure("lockTryAcquireHeld", 3));
        put("semaphoreTryAcquireDrained", lockFigure("semaphoreTryAcquireDrained", 3));

        Scores contended = measured.contended();
        put("contendedLock", withError(contended.score("lock"), contended.error("lock"), 2));
        put("contendedSemaphore", withError(contended.score("semaphore"), contended.error("semaphore"), 2));
        put("contendedReentrantLock", withError(contended.score("reentrantLock"), contended.error("reentrantLock"), 2));
        put("contendedSynchronized",
                withError(contended.score("synchronizedBlock"), contended.error("synchronizedBlock"), 2));

        Scores audit = measured.audit();
        double empty = audit.score("emptyStaticCall");
        List<String> auditRows = new ArrayList<>();
        auditRows.add(row("empty static call (baseline)", withError(empty, audit.error("emptyStaticCall"), 3) + " ns",
                "–", fixed(audit.allocation("emptyStaticCall"), 3) + " B/op"));
        for (String overload : AUDIT_OVERLOADS) {
            auditRows.add(row("`" + overload + "`", withError(audit.score(overload), audit.error(overload), 3) + " ns",
                    signed(audit.score(overload) - empty, 3) + " ns", fixed(audit.allocation(overload), 3) + " B/op"));
        }
        put("auditRows", String.join("\n", auditRows));

        put("tsRounds", Integer.toString(settings.startRounds()));
        put("jsonlRecords", Long.toString(measured.starts().jsonlRecords()));
        put("startRows", String.join("\n", starts.startRows()));
        put("floorRows", String.join("\n", starts.floorRows()));
        put("chainVerified", String.join("; ", measured.starts().verifications()).replace("\n", "; "));

        put("checkPolicy", check(Configuration.POLICY));
        put("checkJsonl", check(Configuration.JSONL));
        put("checkNocaller", check(Configuration.NOCALLER));
        put("checkChain", check(Configuration.CHAIN));
        double record = measured.record().score("audit1");
        put("record", withError(record, measured.record().error("audit1"), 2));
        put("recordLines", Long.toString(measured.recordLines()));
        put("recordShare", fixed(100 * record / starts.plainMedian(), 1));

        Sizes sizes = measured.sizes();
        put("vmLine", sizes.vm());
        List<String> sizeRows = new ArrayList<>();
        for (String object : sizes.objects().keySet()) {
            sizeRows.add(row("`" + object + "`", sizes.instance(object) + " B", sizes.owned(object) + " B",
                    Long.toString(sizes.ownedObjects(object))));
        }
        put("sizeRows", String.join("\n", sizeRows));

        put("startupRuns", Integer.toString(settings.startupRuns()));
        Hyperfine hyperfine = measured.hyperfine();
        put("hyperfineNote", hyperfine == null ? "; hyperfine not installed"
                : "; hyperfine, " + settings.startupRuns() + " runs, median wall: " + fixed(hyperfine.plainMillis(), 0)
                        + " → " + fixed(hyperfine.agentMillis(), 0) + " ms = **"
                        + signed(hyperfine.agentMillis() - hyperfine.plainMillis(), 0) + " ms**");
        put("startupText", measured.startUp().text());
    }

    private String check(Configuration configuration) {
        Scores check = measured.checks().get(configuration);
        return withError(check.score("onStart"), check.error("onStart"), 0);
    }

    private void put(String place, String value) {
        if (values.put(place, value) != null) {
            throw new IllegalStateException("two values for {{" + place + "}}");
        }
    }
}
