package io.iontrap.analysis.data;

/**
 * An input file (run file, CSV) that cannot be accepted. The message names the file and the
 * place (HDF5 path, or line and column) and says what is wrong.
 */
public final class InputFormatException extends IllegalArgumentException {
    public InputFormatException(String message) {
        super(message);
    }

    public InputFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
