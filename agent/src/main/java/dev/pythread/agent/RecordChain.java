package dev.pythread.agent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The option {@code chain=sha256}: a jsonl log in which every record seals the one before it and itself, so that an
 * edit, a deletion, an insertion or a reordering shows — in the spirit of journald's Forward Secure Sealing, simpler.
 * Each record gets two fields:
 * <pre>{"seq":7,"prev":"3f2a…","time":…,"args":[…],"hash":"9c1e…"}</pre>
 * <ul>
 *   <li>{@code prev}, right after {@code seq}: the hash of the previous line of the file, all its bytes but the line
 *       feed; {@code null} on the first line of a file. A process appending to an existing file starts with its
 *       {@code pythread.log.start} record (pid, start time, JVM version), whose {@code prev} is the hash of the file's
 *       last line, so one chain runs through every process that wrote the file.</li>
 *   <li>{@code hash}, always last: the hash of the line's bytes up to, not including, {@code ,"hash":} — so the
 *       newest record, which no {@code prev} covers yet, is sealed too.</li>
 * </ul>
 * Hashes are SHA-256 in lowercase hex, or HMAC-SHA256 with the secret of {@code key=PATH}: without the key, whoever
 * can edit the file can recompute the whole chain, so a keyless chain shows accidents and naive edits; with the key
 * (kept where the application's users cannot read it), it shows any edit. {@link LogVerifier} checks a log.
 *
 * <p>Not thread-safe: its {@link LineSink} calls it under the sink's lock, and advances it only after the line was
 * written, so that a failed write (a full disk) does not leave a gap in the chain. One writer per file: two processes
 * appending to the same file at once interleave two chains (use {@code %p} in the path).
 */
final class RecordChain {

    /** The shortest {@code key=} secret accepted: 128 bits. */
    static final int MIN_KEY_BYTES = 16;

    static final String PREV_FIELD = "\"prev\":";
    static final String HASH_FIELD = ",\"hash\":\"";
    /** The length of {@code ,"hash":"<64 hex digits>"}} at the end of every chained line. */
    static final int HASH_SUFFIX_LENGTH = HASH_FIELD.length() + 64 + 2;

    private static final HexFormat HEX = HexFormat.of();

    private final Hasher hasher;
    /** The hash of the last line written, or {@code null} for an empty file. */
    private String prev;

    /**
     * A line sealed by {@link #seal}: its bytes as the file gets them, line feed included, and its hash, which becomes
     * {@code prev} once the line is written.
     */
    record Sealed(byte[] bytes, String lineHash) {

        /** The sealed line as text, without its line feed. */
        String line() {
            return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
        }
    }

    /**
     * SHA-256, or HMAC-SHA256 with a key: one instance per chain, used under its sink's lock. Besides one-shot hashes
     * it hashes a growing input: {@link #update} bytes, {@link #peekHex} the hash so far (on a clone of the state, so
     * that a line's {@code hash} and, once the seal is appended, its whole-line hash read the long common prefix
     * once), then {@link #finishHex}.
     */
    static final class Hasher {
        private final MessageDigest digest;
        private final Mac mac;

        Hasher(MessageDigest digest, Mac mac) {
            this.digest = digest;
            this.mac = mac;
        }

        /** A plain SHA-256 hasher ({@code key == null}) or an HMAC-SHA256 one. */
        static Hasher of(byte[] key) {
            try {
                if (key == null) {
                    return new Hasher(MessageDigest.getInstance("SHA-256"), null);
                }
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return new Hasher(null, mac);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK lacks SHA-256 or HMAC-SHA256, which every JDK has", e);
            }
        }

        /** The hash of {@code length} bytes of {@code bytes}, in lowercase hex. */
        String hex(byte[] bytes, int length) {
            update(bytes, length);
            return finishHex();
        }

        /** Adds {@code length} bytes of {@code bytes} to the input being hashed. */
        void update(byte[] bytes, int length) {
            if (mac != null) {
                mac.update(bytes, 0, length);
            } else {
                digest.update(bytes, 0, length);
            }
        }

        /**
         * The hash of the input so far, in lowercase hex; the input stays open for more. {@code bytes} must hold that
         * input, from its start: it is hashed again only by a provider whose state cannot be cloned (the JDK's can).
         */
        String peekHex(byte[] bytes, int length) {
            try {
                return HEX.formatHex(mac != null ? ((Mac) mac.clone()).doFinal()
                        : ((MessageDigest) digest.clone()).digest());
            } catch (CloneNotSupportedException notCloneable) {
                String hash = finishHex();
                update(bytes, length);
                return hash;
            }
        }

        /** The hash of the input so far, in lowercase hex; the next input starts afresh. */
        String finishHex() {
            return HEX.formatHex(mac != null ? mac.doFinal() : digest.digest());
        }
    }

    RecordChain(Hasher hasher, String prev) {
        this.hasher = hasher;
        this.prev = prev;
    }

    /**
     * The chain of the jsonl file {@code path}, continuing from its last line if it has one.
     *
     * @param key the secret for HMAC-SHA256, or {@code null} for SHA-256
     */
    static RecordChain continuing(Path path, byte[] key) throws IOException {
        Hasher hasher = Hasher.of(key);
        byte[] last = lastLine(path);
        return new RecordChain(hasher, last == null ? null : hasher.hex(last, last.length));
    }

    /** Reads a {@code key=} file: its bytes, exactly, at least {@link #MIN_KEY_BYTES} of them. */
    static byte[] readKey(Path keyFile) throws AgentOptions.BadOption {
        byte[] key;
        try {
            key = Files.readAllBytes(keyFile);
        } catch (IOException | RuntimeException e) {
            throw new AgentOptions.BadOption("option key: cannot read " + keyFile + " (" + e + ")");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new AgentOptions.BadOption("option key: " + keyFile + " holds " + key.length + " bytes; a key needs "
                    + "at least " + MIN_KEY_BYTES + " (e.g. openssl rand -hex 32 > " + keyFile + ")");
        }
        return key;
    }

    /**
     * {@code line} (a record of {@link AuditRecord}, {@code {"seq":N,…}}, no line feed) with {@code prev} and
     * {@code hash}. The chain does not move until {@link #advance} says the line was written.
     */
    Sealed seal(String line) {
        int afterSeq = AuditRecord.afterSeq(line);
        StringBuilder out = new StringBuilder(line.length() + 160);
        out.append(line, 0, afterSeq).append(PREV_FIELD);
        if (prev == null) {
            out.append("null");
        } else {
            out.append('"').append(prev).append('"');
        }
        out.append(',').append(line, afterSeq, line.length() - 1);
        byte[] covered = out.toString().getBytes(StandardCharsets.UTF_8);
        hasher.update(covered, covered.length);
        // The rest is ASCII: appended as bytes, so that the long line is encoded once, and hashed once for both hashes.
        byte[] seal = (HASH_FIELD + hasher.peekHex(covered, covered.length) + "\"}\n")
                .getBytes(StandardCharsets.US_ASCII);
        hasher.update(seal, seal.length - 1);
        byte[] whole = Arrays.copyOf(covered, covered.length + seal.length);
        System.arraycopy(seal, 0, whole, covered.length, seal.length);
        return new Sealed(whole, hasher.finishHex());
    }

    /** The sealed line is in the file: the next record follows it. */
    void advance(Sealed written) {
        prev = written.lineHash();
    }

    /** The file's last line, without its line feed, or {@code null} if the file is empty or absent. */
    private static byte[] lastLine(Path path) throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "r")) {
            long length = file.length();
            for (long tail = Math.min(length, 4096); tail > 0; tail = Math.min(length, tail * 2)) {
                byte[] bytes = new byte[Math.toIntExact(tail)];
                file.seek(length - tail);
                file.readFully(bytes);
                int end = bytes[bytes.length - 1] == '\n' ? bytes.length - 1 : bytes.length;
                int start = end;
                while (start > 0 && bytes[start - 1] != '\n') {
                    start--;
                }
                if (start > 0 || tail == length) {
                    return Arrays.copyOfRange(bytes, start, end);
                }
            }
            return null;
        }
    }
}
