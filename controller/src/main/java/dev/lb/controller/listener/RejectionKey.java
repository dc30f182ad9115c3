package dev.lb.controller.listener;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What makes two rejections the same one seen on two paths: the reason, the column and the text it was found in (the
 * line, which both live paths carry unchanged, or the payload's JSON). A 128-bit digest, so that the bounded memory
 * of rejections seen does not hold the lines themselves.
 */
public record RejectionKey(long hi, long lo) {

    public static RejectionKey of(String reason, int column, String text) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(reason.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(Integer.toString(column).getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            byte[] h = d.digest(text.getBytes(StandardCharsets.UTF_8));
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = (hi << 8) | (h[i] & 0xff);
                lo = (lo << 8) | (h[i + 8] & 0xff);
            }
            return new RejectionKey(hi, lo);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
