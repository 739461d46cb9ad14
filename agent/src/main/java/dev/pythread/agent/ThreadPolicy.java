package dev.pythread.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.regex.Pattern;

/**
 * The option {@code policy=PATH}: which code may start threads — the check the Security Manager's
 * {@code modifyThread} permission made before JDK 24 removed it (JEP 486).
 *
 * <pre>
 * mode enforce              # or: report — decide and record, never deny (a dry run)
 * default allow             # or: deny — for frames no rule matches
 * deny  from jar **&#47;plugins/**    # the class's code source; * within one path segment, ** across
 * allow from package com.acme        # that package and its subpackages
 * allow from module com.acme.core    # a named module
 * </pre>
 *
 * <p>A start is allowed when <em>every</em> frame of the starting thread's stack outside the JDK and the agent (the
 * chain, as {@code StackWalker} shows it: reflection frames hidden) is permitted — the first rule that matches a frame
 * decides, {@code default} when none does — so code cannot launder a start through someone else's helper. An empty
 * chain is allowed. JDK infrastructure threads are not checked (see {@link #isInfrastructure}); virtual threads always
 * are. Defaults when a directive is absent: {@code mode enforce}, {@code default allow}.
 */
final class ThreadPolicy {

    enum Mode { ENFORCE, REPORT }

    /** Why a start is denied: the rule, its line, and the nearest frame it denied. */
    record Denial(String rule, int line, String frame) {
    }

    private static final class Rule {
        final boolean allow;
        final String kind;
        final String value;
        final Pattern jarGlob;
        final int line;

        Rule(boolean allow, String kind, String value, int line) {
            this.allow = allow;
            this.kind = kind;
            this.value = value;
            this.jarGlob = kind.equals("jar") ? globToRegex(value) : null;
            this.line = line;
        }

        boolean matches(Class<?> type, String source) {
            switch (kind) {
                case "jar":
                    return source != null && jarGlob.matcher(source).matches();
                case "package":
                    String pkg = type.getPackageName();
                    return pkg.equals(value) || pkg.startsWith(value + ".");
                default: // module
                    return type.getModule().isNamed() && type.getModule().getName().equals(value);
            }
        }

        @Override
        public String toString() {
            return (allow ? "allow" : "deny") + " from " + kind + " " + value;
        }
    }

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final String ALLOWED_LINES = "allowed: 'mode enforce|report', 'default allow|deny', "
            + "'allow|deny from jar GLOB', 'allow|deny from package NAME', 'allow|deny from module NAME', '# comment'";

    private final String file;
    private final Mode mode;
    private final boolean defaultAllow;
    private final int defaultLine;
    private final List<Rule> rules;

    private ThreadPolicy(String file, Mode mode, boolean defaultAllow, int defaultLine, List<Rule> rules) {
        this.file = file;
        this.mode = mode;
        this.defaultAllow = defaultAllow;
        this.defaultLine = defaultLine;
        this.rules = rules;
    }

    /** Reads a policy file; any error is one line naming the file, the line and what is allowed. */
    static ThreadPolicy load(String pathText) throws AgentOptions.BadOption {
        Path path = Path.of(pathText).toAbsolutePath();
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new AgentOptions.BadOption("policy " + path + " cannot be read (" + e + ")");
        }
        Mode mode = null;
        Boolean defaultAllow = null;
        int defaultLine = 0;
        List<Rule> rules = new ArrayList<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            int hash = line.indexOf('#');
            String[] words = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue;
            }
            String where = "policy " + path + " line " + n + ": ";
            if (words[0].equals("mode") && words.length == 2 && (words[1].equals("enforce") || words[1].equals("report"))) {
                if (mode != null) {
                    throw new AgentOptions.BadOption(where + "mode is given twice");
                }
                mode = Mode.valueOf(words[1].toUpperCase(Locale.ROOT));
            } else if (words[0].equals("default") && words.length == 2
                    && (words[1].equals("allow") || words[1].equals("deny"))) {
                if (defaultAllow != null) {
                    throw new AgentOptions.BadOption(where + "default is given twice");
                }
                defaultAllow = words[1].equals("allow");
                defaultLine = n;
            } else if ((words[0].equals("allow") || words[0].equals("deny")) && words.length == 4
                    && words[1].equals("from")
                    && (words[2].equals("jar") || words[2].equals("package") || words[2].equals("module"))) {
                rules.add(new Rule(words[0].equals("allow"), words[2], words[3], n));
            } else {
                throw new AgentOptions.BadOption(where + "cannot read '" + line.trim() + "'; " + ALLOWED_LINES);
            }
        }
        return new ThreadPolicy(path.toString(), mode == null ? Mode.ENFORCE : mode,
                defaultAllow == null || defaultAllow, defaultLine, List.copyOf(rules));
    }

    Mode mode() {
        return mode;
    }

    String file() {
        return file;
    }

    /**
     * Decides a start, on the starting thread's stack.
     *
     * @return {@code null} if allowed, else why not
     */
    Denial check(Thread thread) {
        if (isInfrastructure(thread)) {
            return null;
        }
        return WALKER.walk(frames -> frames
                .filter(frame -> !CallerFrame.isJdk(frame.getDeclaringClass()))
                .map(this::denialOf)
                .filter(denial -> denial != null)
                .findFirst()
                .orElse(null));
    }

    private Denial denialOf(StackWalker.StackFrame frame) {
        Class<?> type = frame.getDeclaringClass();
        String source = CallerFrame.sourceOf(type);
        for (Rule rule : rules) {
            if (rule.matches(type, source)) {
                return rule.allow ? null : new Denial(rule.toString(), rule.line, describe(frame));
            }
        }
        return defaultAllow ? null : new Denial("default deny", defaultLine, describe(frame));
    }

    private static String describe(StackWalker.StackFrame frame) {
        return frame.getClassName() + "." + frame.getMethodName() + "(" + frame.getFileName() + ":"
                + frame.getLineNumber() + ")";
    }

    /** The exception a denied start throws, worded as API.md says. */
    SecurityException exception(Denial denial) {
        return new SecurityException("thread start denied by policy " + file + " line " + denial.line() + " ("
                + denial.rule() + "): " + denial.frame());
    }

    /**
     * JDK infrastructure threads, which the JDK starts lazily on whatever stack first needs them and whose refusal
     * would break the JDK for the whole process: a thread of a JDK-internal class (bootstrap loader, outside
     * {@code java.*}/{@code javax.*}: carrier threads, {@code InnocuousThread}); a thread of the system thread group or
     * one of its subgroups other than {@code main}; a worker of the common {@code ForkJoinPool}. Never a virtual thread.
     */
    static boolean isInfrastructure(Thread thread) {
        Class<?> type = thread.getClass();
        String name = type.getName();
        if (name.equals("java.lang.VirtualThread") || name.startsWith("java.lang.ThreadBuilders$")) {
            return false;
        }
        if (type.getClassLoader() == null && !name.startsWith("java.") && !name.startsWith("javax.")) {
            return true;
        }
        if (thread instanceof ForkJoinWorkerThread
                && ((ForkJoinWorkerThread) thread).getPool() == ForkJoinPool.commonPool()) {
            return true;
        }
        ThreadGroup group = thread.getThreadGroup();
        for (ThreadGroup g = group; g != null; g = g.getParent()) {
            if (g.getParent() == null) {
                return true; // reached the system group without passing through main
            }
            if (g.getName().equals("main") && g.getParent().getParent() == null) {
                return false; // main, or a subgroup of main
            }
        }
        return false;
    }

    /** {@code *} within one path segment, {@code **} across segments, {@code ?} one character; the rest literal. */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
