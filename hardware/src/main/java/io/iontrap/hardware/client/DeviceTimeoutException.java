package io.iontrap.hardware.client;

/** No reply after every retry. */
public final class DeviceTimeoutException extends RuntimeException {
    public DeviceTimeoutException(String message) {
        super(message);
    }
}
