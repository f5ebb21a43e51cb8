package io.iontrap.hardware.protocol;

/** Numbered errors (SCPI where one fits, docs/protocol.md). */
public final class ErrorCode {
    /** Malformed or unknown command. */
    public static final int COMMAND_ERROR = -100;
    /** A required field is missing or has the wrong type. */
    public static final int MISSING_PARAMETER = -109;
    /** The command cannot be executed now (e.g. run before configure). */
    public static final int EXECUTION_ERROR = -200;
    /** Conflicts with the device state (e.g. configure while running). */
    public static final int SETTINGS_CONFLICT = -221;
    /** A value outside the device's limits: the message lists every violation. */
    public static final int DATA_OUT_OF_RANGE = -222;
    /** The command's expiry time has passed: stale commands never run. */
    public static final int EXPIRED = -230;
    /** The command's correlation id was already executed and the policy is to reject replays. */
    public static final int REPLAYED = -231;
    /** Internal device error. */
    public static final int DEVICE_ERROR = -300;

    private ErrorCode() {
    }
}
