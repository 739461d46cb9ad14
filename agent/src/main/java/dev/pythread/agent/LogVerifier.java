package dev.pythread.agent;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar pythread-agent.jar verify FILE [--key PATH]}: checks a log written with {@code chain=sha256} (see
 * {@link RecordChain}) and names the first bad record, or says {@code ok: N records, seq A..B}.
 *
 * <p>Line by line: a line without its line feed at the end of the file is cut short; a line that is not a chained
 * record is foreign; a line whose {@code hash} does not match its content was changed; a line whose {@code prev}
 * does not match the line before it shows where records were deleted, inserted or moved — or where a changed record
 * was re-hashed, which only its successor's {@code prev} can show. The first line of a file has {@code prev: null}:
 * a file is verified from its beginning (for a rotated log, verify the pieces concatenated, oldest first).
 *
 * <p>What no chain can show: records cut off the end at a line boundary (the log then looks like one whose writer
 * stopped there), and, without {@code key=}, a whole chain recomputed by someone who can write the file.
 */
final class LogVerifier {

    /** What {@code verify} found: its exit status and the one line it prints. */
    record Verdict(boolean ok, String message) {
    }

    /** A chained record: {@code {"seq":N,"prev":…,…,"hash":"…"}}, built from the fields' own constants. */
    private static final Pattern CHAINED = Pattern.compile(
            Pattern.quote(AuditRecord.SEQ_FIELD) + "(\\d+)," + Pattern.quote(RecordChain.PREV_FIELD)
                    + "(null|\"([0-9a-f]{64})\"),.*" + Pattern.quote(RecordChain.HASH_FIELD) + "([0-9a-f]{64})\"}",
            Pattern.DOTALL); // a JSON string may hold U+2028 and other characters that are line ends to a regex

    private final RecordChain.Hasher hasher;

    LogVerifier(byte[] key) {
        this.hasher = RecordChain.Hasher.of(key);
    }

    /** Verifies the log at {@code path}. */
    Verdict verify(Path path) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            return verify(in);
        }
    }

    Verdict verify(InputStream in) throws IOException {
        long lineNumber = 0;
        long firstSeq = 0;
        long previousSeq = 0;
        String previousLineHash = null;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c != '\n') {
                buffer.write(c);
                continue;
            }
            lineNumber++;
            byte[] line = buffer.toByteArray();
            buffer.reset();
            String text = new String(line, StandardCharsets.UTF_8);
            Matcher record = CHAINED.matcher(text);
            if (!record.matches()) {
                return bad(lineNumber, null, "not a record of a chained log (edited, or written without chain=sha256)");
            }
            long seq = Long.parseLong(record.group(1));
            String prev = record.group(3);
            int covered = line.length - RecordChain.HASH_SUFFIX_LENGTH;
            if (!hasher.hex(line, covered).equals(record.group(4))) {
                return bad(lineNumber, seq, "changed: its hash does not match its content");
            }
            if (lineNumber == 1 ? prev != null : !previousLineHash.equals(prev)) {
                return bad(lineNumber, seq, lineNumber == 1
                        ? "the first line of a log must have prev null: the lines before it are missing"
                        : brokenLink(lineNumber, previousSeq));
            }
            if (lineNumber > 1 && seq != previousSeq + 1 && seq != 1) {
                return bad(lineNumber, seq, "seq goes from " + previousSeq + " to " + seq);
            }
            if (lineNumber == 1) {
                firstSeq = seq;
            }
            previousSeq = seq;
            previousLineHash = hasher.hex(line, line.length);
        }
        if (buffer.size() > 0) {
            return bad(lineNumber + 1, null, "cut short: the file ends inside this line");
        }
        if (lineNumber == 0) {
            return new Verdict(false, "empty: no records");
        }
        return new Verdict(true, "ok: " + lineNumber + " records, seq " + firstSeq + ".." + previousSeq);
    }

    /** Why a line's {@code prev} does not match the line before it: the chain breaks between the two. */
    private static String brokenLink(long lineNumber, long previousSeq) {
        return "does not follow line " + (lineNumber - 1) + " (seq " + previousSeq + "): a record was deleted, "
                + "inserted, moved, or changed and re-hashed here";
    }

    private static Verdict bad(long lineNumber, Long seq, String what) {
        return new Verdict(false, "line " + lineNumber + (seq == null ? "" : " (seq " + seq + ")") + ": " + what);
    }

    /**
     * The {@code verify} command.
     *
     * @param args {@code FILE [--key PATH]}
     * @return the exit status: 0 verified, 1 a bad record (or an unreadable file), 2 bad usage
     */
    static int run(String[] args) {
        if (!(args.length == 1 || args.length == 3 && args[1].equals("--key"))) {
            System.err.println("usage: java -jar pythread-agent.jar verify FILE [--key PATH]");
            return 2;
        }
        try {
            byte[] key = args.length == 3 ? RecordChain.readKey(Path.of(args[2])) : null;
            Verdict verdict = new LogVerifier(key).verify(Path.of(args[0]));
            System.out.println(verdict.message());
            return verdict.ok() ? 0 : 1;
        } catch (AgentOptions.BadOption e) {
            System.err.println("pythread-agent verify: " + e.getMessage().replaceFirst("^option key: ", "--key: "));
            return 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("pythread-agent verify: cannot read " + args[0] + " (" + e + ")");
            return 1;
        }
    }
}
