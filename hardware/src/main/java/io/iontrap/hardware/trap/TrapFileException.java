package io.iontrap.hardware.trap;

/** A trap file (or trap description) that cannot be used; {@link #field()} names the JSON path. */
public final class TrapFileException extends IllegalArgumentException {
    private final String field;

    public TrapFileException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
