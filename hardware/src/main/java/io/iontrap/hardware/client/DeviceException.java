package io.iontrap.hardware.client;

import java.util.List;

/** The device refused or failed a command: its error code, message and every violation it listed. */
public final class DeviceException extends RuntimeException {
    private final int code;
    private final List<String> violations;

    public DeviceException(int code, String message, List<String> violations) {
        super(code + ", \"" + message + "\"" + (violations.isEmpty() ? "" : "\n  " + String.join("\n  ", violations)));
        this.code = code;
        this.violations = List.copyOf(violations);
    }

    public int code() {
        return code;
    }

    public List<String> violations() {
        return violations;
    }
}
