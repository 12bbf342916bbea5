package heromgr.proc.state;

import heromgr.fs.JsonCodec;
import heromgr.proc.ActionSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An action spec's compact JSON, as runtime.json holds it, and its fingerprint: the sha256 of exactly those bytes;
 * fingerprintField is what follows the spec in the file: {@code ,"fingerprint":"<sha256>",}.
 */
record SpecJson(ActionSpec spec, byte[] json, String fingerprint, byte[] fingerprintField) {
    static SpecJson of(ActionSpec spec) {
        byte[] json;
        try {
            json = JsonCodec.MAPPER.writeValueAsBytes(spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize action " + spec.name(), e);
        }
        String fingerprint = sha256(json);
        return new SpecJson(spec, json, fingerprint, (",\"fingerprint\":\"" + fingerprint + "\",").getBytes(StandardCharsets.US_ASCII));
    }

    static String sha256(byte[] json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
