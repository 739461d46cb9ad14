package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordChain#seal}'s two hashes, checked against SHA-256 and HMAC-SHA256 computed afresh over the exact bytes
 * each one covers: the line's {@code hash}, over the line up to {@code ,"hash":}, and the whole line's, the next
 * record's {@code prev}. The seal reads the common prefix once (a clone of the digest's state); a provider that cannot
 * clone must seal the same bytes.
 */
class RecordChainTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Longer than a SHA-256 block, and not ASCII: the hashes cover UTF-8 bytes. */
    private static final String LINE = "{\"seq\":7,\"time\":\"2026-12-01T06:00:00.000001Z\",\"event\":\"é\","
            + "\"args\":[\"" + "x".repeat(150) + "\"]}";

    @Test
    void eachLineCarriesTheHashOfItsBytesBeforeTheHashFieldAndPassesItsWholeHashToTheNext() throws Exception {
        assertSealsCheckedAfresh(new RecordChain(RecordChain.Hasher.of(null), null), null);
    }

    @Test
    void withAKeyBothHashesAreHmacs() throws Exception {
        assertSealsCheckedAfresh(new RecordChain(RecordChain.Hasher.of(KEY), null), KEY);
    }

    @Test
    void aDigestWhoseStateCannotBeClonedSealsTheSameBytes() throws Exception {
        assertThrows(CloneNotSupportedException.class, () -> new UncloneableSha256().clone());
        assertSealsCheckedAfresh(new RecordChain(new RecordChain.Hasher(new UncloneableSha256(), null), null), null);
    }

    /** Seals three lines in a row and checks every hash of each against one computed from scratch. */
    private static void assertSealsCheckedAfresh(RecordChain chain, byte[] key) throws Exception {
        String prev = null;
        for (int i = 0; i < 3; i++) {
            RecordChain.Sealed sealed = chain.seal(LINE);
            byte[] bytes = sealed.bytes();
            String text = sealed.line();
            assertEquals('\n', bytes[bytes.length - 1]);
            String afterSeq = "{\"seq\":7,";
            assertEquals(afterSeq + RecordChain.PREV_FIELD + (prev == null ? "null" : '"' + prev + '"') + ","
                    + LINE.substring(afterSeq.length(), LINE.length() - 1),
                    text.substring(0, text.indexOf(RecordChain.HASH_FIELD)));

            int covered = bytes.length - 1 - RecordChain.HASH_SUFFIX_LENGTH;
            String hash = text.substring(text.length() - 66, text.length() - 2);
            assertEquals(hashOf(Arrays.copyOf(bytes, covered), key), hash, "the line's own hash");
            assertEquals(hashOf(Arrays.copyOf(bytes, bytes.length - 1), key), sealed.lineHash(), "the whole line's");

            chain.advance(sealed);
            prev = sealed.lineHash();
        }
    }

    private static String hashOf(byte[] bytes, byte[] key) throws GeneralSecurityException {
        if (key == null) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(bytes));
    }

    /** SHA-256 from a provider whose digests cannot be cloned, as some hardware or FIPS providers are. */
    private static final class UncloneableSha256 extends MessageDigest {
        private final MessageDigest inner;

        UncloneableSha256() throws GeneralSecurityException {
            super("SHA-256");
            inner = MessageDigest.getInstance("SHA-256");
        }

        @Override
        protected void engineUpdate(byte input) {
            inner.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
            inner.update(input, offset, length);
        }

        @Override
        protected byte[] engineDigest() {
            return inner.digest();
        }

        @Override
        protected void engineReset() {
            inner.reset();
        }
    }
}
