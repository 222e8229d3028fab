package com.activityfeed.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class StrictUtf8Test {
    private static String fault(int... bytes) {
        byte[] body = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            body[i] = (byte) bytes[i];
        }
        return StrictUtf8.fault(body);
    }

    private static String fault(String ascii) {
        return StrictUtf8.fault(ascii.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wellFormedTextPasses() {
        assertThat(fault("{\"a\":\"€ ü 😀 \\n \\\\ud800 \\ud83d\\ude00 \\u00e9\"}")).isNull();
        assertThat(fault(0xF4, 0x8F, 0xBF, 0xBF)).isNull(); // U+10FFFF
        assertThat(fault(0xEF, 0xBF, 0xBD)).isNull();       // U+FFFD itself is fine
        assertThat(StrictUtf8.fault(new byte[0])).isNull();
    }

    @Test
    void overlongFormsAreFaults() {
        assertThat(fault(0xC0, 0xAF)).contains("overlong");
        assertThat(fault(0xC1, 0xBF)).contains("overlong");
        assertThat(fault(0xE0, 0x80, 0xAF)).contains("overlong");
        assertThat(fault(0xF0, 0x80, 0x80, 0xAF)).contains("overlong");
    }

    @Test
    void surrogatesAreFaultsEncodedOrEscaped() {
        assertThat(fault(0xED, 0xA0, 0x80)).contains("surrogate");
        assertThat(fault(0xED, 0xBF, 0xBF)).contains("surrogate");
        assertThat(fault("\"\\ud800\"")).contains("unpaired surrogate");
        assertThat(fault("\"\\udc00\"")).contains("unpaired surrogate");
        assertThat(fault("\"\\ud800x\"")).contains("unpaired surrogate");
        assertThat(fault("\"\\ud800\\ud800\\udc00\"")).contains("unpaired surrogate");
        assertThat(fault("\"\\ud800")).contains("unpaired surrogate");
    }

    @Test
    void truncatedAndStrayBytesAreFaults() {
        assertThat(fault(0xE2, 0x82)).contains("truncated");
        assertThat(fault(0xE2, 0x82, 0x22)).contains("truncated");
        assertThat(fault(0x80)).contains("invalid");
        assertThat(fault(0xFF)).contains("invalid");
        assertThat(fault(0xF5, 0x80, 0x80, 0x80)).contains("invalid");
        assertThat(fault(0xF4, 0x90, 0x80, 0x80)).isNotNull(); // past U+10FFFF
        assertThat(fault('{', '"', 't', '"', ':', '"', 0xC3, 0x28, '"', '}')).contains("at byte 6");
    }
}
