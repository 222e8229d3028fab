package com.activityfeed.web;

/**
 * Finds what makes a JSON body not well-formed Unicode text, so it is refused instead of being
 * silently replaced (SPEC §3): invalid UTF-8 (overlong forms, encoded surrogates, truncated or
 * stray sequences, code points past U+10FFFF) and {@code \\u} escapes that leave a surrogate
 * unpaired. One pass over the bytes, no copy; JSON syntax itself is left to the parser.
 */
public final class StrictUtf8 {
    private StrictUtf8() {
    }

    /** What is wrong with the body's text, or null when it is well-formed. */
    public static String fault(byte[] body) {
        int n = body.length;
        int i = 0;
        int pendingHigh = -1; // offset of a \\uD800-\\uDBFF escape that still needs its low half
        while (i < n) {
            int b = body[i] & 0xFF;
            if (b < 0x80) {
                if (b == '\\' && i + 1 < n) {
                    int next = body[i + 1] & 0xFF;
                    if (next == 'u') {
                        int unit = hex4(body, i + 2);
                        if (unit >= 0xD800 && unit <= 0xDBFF) {
                            if (pendingHigh >= 0) {
                                return "unpaired surrogate escape at byte " + pendingHigh;
                            }
                            pendingHigh = i;
                        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
                            if (pendingHigh < 0 || pendingHigh != i - 6) {
                                return "unpaired surrogate escape at byte " + (pendingHigh >= 0 ? pendingHigh : i);
                            }
                            pendingHigh = -1;
                        } else if (pendingHigh >= 0) {
                            return "unpaired surrogate escape at byte " + pendingHigh;
                        }
                        i += unit < 0 ? 2 : 6;
                        continue;
                    }
                    if (pendingHigh >= 0) {
                        return "unpaired surrogate escape at byte " + pendingHigh;
                    }
                    i += 2; // any other escape: the escaped character is not a delimiter
                    continue;
                }
                if (pendingHigh >= 0) {
                    return "unpaired surrogate escape at byte " + pendingHigh;
                }
                i++;
                continue;
            }
            if (pendingHigh >= 0) {
                return "unpaired surrogate escape at byte " + pendingHigh;
            }
            int length;
            int min = 0x80;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
            } else if (b == 0xE0) {
                length = 3;
                min = 0xA0; // below is an overlong form
            } else if (b == 0xED) {
                length = 3;
                max = 0x9F; // above encodes a surrogate
            } else if (b >= 0xE1 && b <= 0xEF) {
                length = 3;
            } else if (b == 0xF0) {
                length = 4;
                min = 0x90;
            } else if (b >= 0xF1 && b <= 0xF3) {
                length = 4;
            } else if (b == 0xF4) {
                length = 4;
                max = 0x8F; // above is past U+10FFFF
            } else {
                return b <= 0xC1 && b >= 0xC0 ? "overlong UTF-8 sequence at byte " + i : "invalid UTF-8 byte at byte " + i;
            }
            if (i + length > n) {
                return "truncated UTF-8 sequence at byte " + i;
            }
            int second = body[i + 1] & 0xFF;
            if (second < min || second > max) {
                return (second >= 0x80 && second <= 0xBF ? "overlong or surrogate UTF-8 sequence" : "truncated UTF-8 sequence")
                        + " at byte " + i;
            }
            for (int k = 2; k < length; k++) {
                int c = body[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF) {
                    return "truncated UTF-8 sequence at byte " + i;
                }
            }
            i += length;
        }
        return pendingHigh >= 0 ? "unpaired surrogate escape at byte " + pendingHigh : null;
    }

    private static int hex4(byte[] body, int from) {
        if (from + 4 > body.length) {
            return -1;
        }
        int value = 0;
        for (int k = 0; k < 4; k++) {
            int digit = Character.digit(body[from + k], 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
