package io.iontrap.hardware.protocol;

/**
 * A message that cannot be decoded; {@link #field()} names what is wrong. When the frame itself was
 * intact (CRC right) and only its content is wrong, {@link #commandId()} is the id of the command, so
 * the device can answer with an error instead of leaving the client to retry.
 */
public final class ProtocolException extends IllegalArgumentException {
    private final String field;
    private final String commandId;

    public ProtocolException(String field, String message) {
        this(field, message, null);
    }

    public ProtocolException(String field, String message, String commandId) {
        super(field + ": " + message);
        this.field = field;
        this.commandId = commandId;
    }

    public String field() {
        return field;
    }

    /** The id of the (intact but invalid) command, or null. */
    public String commandId() {
        return commandId;
    }

    ProtocolException withCommandId(String id) {
        return new ProtocolException(field, getMessage().substring(field.length() + 2), id);
    }
}
