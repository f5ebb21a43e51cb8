package io.iontrap.model;

/** A model parameter outside its physical domain; {@link #field()} names the offending input. */
public final class InvalidParameterException extends IllegalArgumentException {
    private final String field;

    public InvalidParameterException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The name of the parameter as it appears in the model file ("omega", "g[3]", ...). */
    public String field() {
        return field;
    }
}
