package io.iontrap.hardware.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The serial encoding (docs/protocol.md): one ASCII line per message,
 * <pre>
 *   @&lt;K&gt;&lt;id&gt; &lt;type&gt; [exp=&lt;epoch-ms&gt; ]&lt;json-body&gt;*&lt;CRC&gt;\r\n
 * </pre>
 * K is C (command), R (reply) or E (event); the id is the sequence number (commands and their replies
 * share it; events carry the device's event sequence); CRC is CRC-16/CCITT-FALSE (poly 0x1021, init
 * 0xFFFF) of every byte between '@' and the last '*', as 4 upper-case hex digits. A receiver drops
 * anything before '@', any line whose CRC, syntax or JSON is wrong, and any line longer than
 * {@link #MAX_LINE} bytes, and counts them.
 */
public final class SerialFraming {
    public static final int MAX_LINE = 1 << 20;

    private SerialFraming() {
    }

    public static byte[] encode(Envelope e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.kind().code()).append(e.id()).append(' ').append(e.message().type()).append(' ');
        if (e.expiresAtMillis() > 0) {
            sb.append("exp=").append(e.expiresAtMillis()).append(' ');
        }
        sb.append(JsonCodec.write(JsonCodec.body(e.message())));
        String payload = sb.toString();
        byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
        return ("@" + payload + "*" + String.format("%04X", crc16(bytes, 0, bytes.length)) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** CRC-16/CCITT-FALSE; check value of "123456789" is 0x29B1. */
    public static int crc16(byte[] data, int off, int len) {
        int crc = 0xFFFF;
        for (int i = off; i < off + len; i++) {
            crc ^= (data[i] & 0xFF) << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }

    /** Parses one line (without CR LF). */
    public static Envelope decodeLine(String line) {
        int at = line.indexOf('@');
        if (at < 0) {
            throw new ProtocolException("frame", "no start character '@'");
        }
        int star = line.lastIndexOf('*');
        if (star < at || line.length() - star - 1 != 4) {
            throw new ProtocolException("frame", "no '*' followed by a 4-digit CRC");
        }
        String payload = line.substring(at + 1, star);
        int crc;
        try {
            crc = Integer.parseInt(line.substring(star + 1), 16);
        } catch (NumberFormatException e) {
            throw new ProtocolException("crc", "not hexadecimal");
        }
        for (int i = 0; i < payload.length(); i++) {
            if (payload.charAt(i) > 126 || payload.charAt(i) < 32) {
                throw new ProtocolException("frame", "non-printable or non-ASCII byte");
            }
        }
        byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
        if (crc16(bytes, 0, bytes.length) != crc) {
            throw new ProtocolException("crc", "CRC mismatch");
        }
        int sp1 = payload.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : payload.indexOf(' ', sp1 + 1);
        if (sp1 < 2 || sp2 < 0) {
            throw new ProtocolException("frame", "expected <kind><id> <type> <body>");
        }
        Envelope.Kind kind = Envelope.Kind.of(payload.charAt(0));
        String id = payload.substring(1, sp1);
        try {
            return content(kind, id, payload, sp1, sp2);
        } catch (ProtocolException e) {
            throw kind == Envelope.Kind.COMMAND && id.matches("[A-Za-z0-9._-]{1,64}") ? e.withCommandId(id) : e;
        }
    }

    private static Envelope content(Envelope.Kind kind, String id, String payload, int sp1, int sp2) {
        String type = payload.substring(sp1 + 1, sp2);
        String rest = payload.substring(sp2 + 1);
        long exp = 0;
        if (rest.startsWith("exp=")) {
            int sp = rest.indexOf(' ');
            if (sp < 0) {
                throw new ProtocolException("exp", "expiry without a body");
            }
            try {
                exp = Long.parseLong(rest.substring(4, sp));
            } catch (NumberFormatException e) {
                throw new ProtocolException("exp", "not an integer");
            }
            rest = rest.substring(sp + 1);
        }
        com.fasterxml.jackson.databind.JsonNode body = JsonCodec.read(rest, "body");
        if (!body.isObject()) {
            throw new ProtocolException("body", "must be a JSON object");
        }
        return new Envelope(kind, id, exp, JsonCodec.message(kind, type, body));
    }

    /**
     * Splits a byte stream into frames: feed it whatever {@code readBytes} returned (partial or several
     * frames); complete, valid frames go to {@code sink}, damaged ones to {@code rejected}.
     */
    public static final class Decoder {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final Consumer<Envelope> sink;
        private final Consumer<ProtocolException> rejected;
        private boolean overflow;

        public Decoder(Consumer<Envelope> sink, Consumer<ProtocolException> rejected) {
            this.sink = sink;
            this.rejected = rejected;
        }

        public void feed(byte[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    finishLine();
                } else if (b != '\r') {
                    if (line.size() < MAX_LINE) {
                        line.write(b);
                    } else {
                        overflow = true;
                    }
                }
            }
        }

        private void finishLine() {
            byte[] bytes = line.toByteArray();
            line.reset();
            if (overflow) {
                overflow = false;
                rejected.accept(new ProtocolException("frame", "line longer than " + MAX_LINE + " bytes"));
                return;
            }
            if (bytes.length == 0) {
                return;
            }
            Envelope e;
            try {
                e = decodeLine(new String(bytes, StandardCharsets.ISO_8859_1));
            } catch (ProtocolException ex) {
                rejected.accept(ex);
                return;
            } catch (RuntimeException ex) {
                rejected.accept(new ProtocolException("frame", ex.toString()));
                return;
            }
            sink.accept(e);
        }
    }
}
