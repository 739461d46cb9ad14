package dev.pythread.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a thread policy file ({@code policy=PATH}) into a {@link ThreadPolicy}: one directive per line, {@code #}
 * comments. Any error is one line naming the file, the line and what is allowed, and stops the JVM at start.
 */
final class PolicyFile {

    static final String ALLOWED_LINES = "allowed: 'mode enforce|report', 'default allow|deny', "
            + "'allow|deny from jar GLOB', 'allow|deny from package NAME', 'allow|deny from module NAME', "
            + "'allow|deny from no-code-source', '# comment'";

    private PolicyFile() {
    }

    /** Reads the policy at {@code pathText}. Absent directives: {@code mode enforce}, {@code default allow}. */
    static ThreadPolicy load(String pathText) throws AgentOptions.BadOption {
        Path path = Path.of(pathText).toAbsolutePath();
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new AgentOptions.BadOption("policy " + path + " cannot be read (" + e + ")");
        }
        ThreadPolicy.Mode mode = null;
        PolicyRule defaultRule = null;
        List<PolicyRule> rules = new ArrayList<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            int hash = line.indexOf('#');
            String[] words = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue;
            }
            String where = "policy " + path + " line " + n + ": ";
            if (words.length == 2 && words[0].equals("mode") && isOneOf(words[1], "enforce", "report")) {
                if (mode != null) {
                    throw new AgentOptions.BadOption(where + "mode is given twice");
                }
                mode = ThreadPolicy.Mode.valueOf(words[1].toUpperCase(Locale.ROOT));
            } else if (words.length == 2 && words[0].equals("default") && isOneOf(words[1], "allow", "deny")) {
                if (defaultRule != null) {
                    throw new AgentOptions.BadOption(where + "default is given twice");
                }
                defaultRule = PolicyRule.byDefault(words[1].equals("allow"), n);
            } else {
                PolicyRule rule = rule(words, n);
                if (rule == null) {
                    throw new AgentOptions.BadOption(where + "cannot read '" + line.trim() + "'; " + ALLOWED_LINES);
                }
                rules.add(rule);
            }
        }
        return new ThreadPolicy(path.toString(), mode == null ? ThreadPolicy.Mode.ENFORCE : mode,
                defaultRule == null ? PolicyRule.byDefault(true, 0) : defaultRule, List.copyOf(rules));
    }

    /** {@code allow|deny from KIND VALUE}, or {@code allow|deny from no-code-source}; {@code null} if neither. */
    private static PolicyRule rule(String[] words, int line) {
        if (words.length < 3 || !isOneOf(words[0], "allow", "deny") || !words[1].equals("from")) {
            return null;
        }
        PolicyRule.Kind kind = PolicyRule.Kind.named(words[2]);
        if (kind == null || words.length != (kind.takesValue ? 4 : 3)) {
            return null;
        }
        return PolicyRule.of(words[0].equals("allow"), kind, kind.takesValue ? words[3] : "", line);
    }

    private static boolean isOneOf(String word, String first, String second) {
        return word.equals(first) || word.equals(second);
    }
}
