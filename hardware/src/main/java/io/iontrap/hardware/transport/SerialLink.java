package io.iontrap.hardware.transport;

import com.fazecast.jSerialComm.SerialPort;
import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.SerialFraming;
import java.io.IOException;

/**
 * A serial line through jSerialComm, framed with {@link SerialFraming}. Opens a port by explicit path
 * (socat PTYs included: jSerialComm resolves symlinks; {@code getCommPorts()} never lists PTYs) with
 * {@code openPort(0)} (no 200 ms settle sleep), 8N1, no flow control, semi-blocking reads with a
 * 100 ms timeout (Linux granularity), no DATA_RECEIVED listener (it would disable the timeouts);
 * one reader thread frames the byte stream itself, since {@code readBytes} returns partial or
 * several frames.
 */
public final class SerialLink implements Link {
    private final String path;
    private final int baud;
    private final LinkStats stats = new LinkStats();
    private SerialPort port;
    private Thread reader;
    private volatile boolean closed;

    public SerialLink(String path, int baud) {
        this.path = path;
        this.baud = baud;
    }

    @Override
    public void start(Receiver receiver) throws IOException {
        port = SerialPort.getCommPort(path);
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
        if (!port.openPort(0)) {
            throw new IOException("cannot open serial port " + path + " (error " + port.getLastErrorCode()
                    + " at line " + port.getLastErrorLocation() + ")");
        }
        SerialFraming.Decoder decoder = new SerialFraming.Decoder(e -> {
            stats.received.incrementAndGet();
            receiver.received(e);
        }, ex -> {
            stats.rejected.incrementAndGet();
            receiver.rejected(ex);
        });
        reader = new Thread(() -> {
            byte[] buf = new byte[8192];
            while (!closed) {
                int n = port.readBytes(buf, buf.length);
                if (n > 0) {
                    stats.bytesReceived.addAndGet(n);
                    decoder.feed(buf, 0, n);
                } else if (n < 0) {
                    if (closed) {
                        break;
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
            }
        }, "serial-reader-" + path);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void send(Envelope envelope) throws IOException {
        if (closed || port == null) {
            throw new IOException("serial port " + path + " is not open");
        }
        byte[] frame = SerialFraming.encode(envelope);
        int off = 0;
        while (off < frame.length) {
            int n = port.writeBytes(frame, frame.length - off, off);
            if (n <= 0) {
                throw new IOException("write to " + path + " failed (error " + port.getLastErrorCode() + ")");
            }
            off += n;
        }
        stats.sent.incrementAndGet();
        stats.bytesSent.addAndGet(frame.length);
    }

    /** Writes raw bytes (tests inject garbage and damaged frames with it). */
    public void sendRaw(byte[] bytes) throws IOException {
        int n = port.writeBytes(bytes, bytes.length);
        if (n != bytes.length) {
            throw new IOException("short write to " + path);
        }
    }

    @Override
    public String describe() {
        return "serial " + path + " @ " + baud + " baud";
    }

    @Override
    public LinkStats stats() {
        return stats;
    }

    @Override
    public void close() {
        closed = true;
        if (port != null) {
            port.closePort();
        }
        if (reader != null) {
            try {
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
