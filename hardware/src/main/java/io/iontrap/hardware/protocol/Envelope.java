package io.iontrap.hardware.protocol;

/**
 * A message on the wire: kind (command, reply, event), correlation id (commands and their replies share
 * it; events carry the device's event sequence number), the expiry time of a command (epoch ms, 0 = none)
 * and the message.
 */
public record Envelope(Kind kind, String id, long expiresAtMillis, Message message) {
    public enum Kind {
        COMMAND('C'), REPLY('R'), EVENT('E');

        private final char code;

        Kind(char code) {
            this.code = code;
        }

        public char code() {
            return code;
        }

        public static Kind of(char c) {
            for (Kind k : values()) {
                if (k.code == c) {
                    return k;
                }
            }
            throw new ProtocolException("kind", "unknown message kind '" + c + "'");
        }
    }

    public Envelope {
        if (expiresAtMillis < 0) {
            // a negative time would read as "no expiry" (expired() tests > 0): refuse it instead
            throw new ProtocolException("expiresAt", "must be epoch milliseconds > 0 (or absent), got " + expiresAtMillis);
        }
        if (id == null || id.isEmpty() || id.length() > 64) {
            throw new ProtocolException("id", "correlation id must have 1 to 64 characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_' && c != '.') {
                throw new ProtocolException("id", "correlation id may hold only ASCII letters, digits, - _ .");
            }
        }
        boolean ok = switch (kind) {
            case COMMAND -> message instanceof Message.Command;
            case REPLY -> message instanceof Message.Reply;
            case EVENT -> message instanceof Message.Event;
        };
        if (!ok) {
            throw new ProtocolException("kind", message.type() + " is not a " + kind.name().toLowerCase());
        }
    }

    public static Envelope command(String id, long expiresAtMillis, Message.Command c) {
        return new Envelope(Kind.COMMAND, id, expiresAtMillis, c);
    }

    public static Envelope reply(String id, Message.Reply r) {
        return new Envelope(Kind.REPLY, id, 0, r);
    }

    public static Envelope event(String id, Message.Event e) {
        return new Envelope(Kind.EVENT, id, 0, e);
    }

    public boolean expired(long nowMillis) {
        return expiresAtMillis > 0 && nowMillis > expiresAtMillis;
    }
}
