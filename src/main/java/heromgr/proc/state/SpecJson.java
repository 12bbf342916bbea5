package heromgr.proc.state;

import heromgr.fs.JsonCodec;
import heromgr.proc.ActionSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** An action spec's compact JSON, as runtime.json holds it, and its fingerprint: the sha256 of exactly those bytes. */
record SpecJson(ActionSpec spec, byte[] json, String fingerprint) {
    static SpecJson of(ActionSpec spec) {
        byte[] json;
        try {
            json = JsonCodec.MAPPER.writeValueAsBytes(spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize action " + spec.name(), e);
        }
        return new SpecJson(spec, json, sha256(json));
    }

    static String sha256(byte[] json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
