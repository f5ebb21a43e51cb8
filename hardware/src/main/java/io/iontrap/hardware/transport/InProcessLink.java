package io.iontrap.hardware.transport;

import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.JsonCodec;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Two connected link ends in one JVM (the simulated device and the demo use it). Every message goes
 * through the JSON encoding and back, so what passes here also passes over MQTT; delivery is
 * asynchronous and in order, on one thread per receiving end.
 */
public final class InProcessLink implements Link {
    private final String name;
    private final ExecutorService delivery;
    private final LinkStats stats = new LinkStats();
    private volatile InProcessLink peer;
    private volatile Receiver receiver;
    private volatile boolean closed;

    private InProcessLink(String name) {
        this.name = name;
        this.delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "inprocess-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** A connected pair: [0] for the client, [1] for the device. */
    public static InProcessLink[] pair() {
        InProcessLink a = new InProcessLink("client");
        InProcessLink b = new InProcessLink("device");
        a.peer = b;
        b.peer = a;
        return new InProcessLink[]{a, b};
    }

    @Override
    public void start(Receiver r) {
        this.receiver = r;
    }

    @Override
    public void send(Envelope envelope) throws IOException {
        if (closed) {
            throw new IOException("in-process link " + name + " is closed");
        }
        byte[] wire = JsonCodec.encodeBytes(envelope);
        stats.sent.incrementAndGet();
        stats.bytesSent.addAndGet(wire.length);
        peer.deliver(wire);
    }

    private void deliver(byte[] wire) {
        if (closed) {
            return;
        }
        try {
            delivery.execute(() -> {
                Receiver r = receiver;
                if (r == null || closed) {
                    return;
                }
                Envelope e = stats.decodeJson(wire, r);
                if (e != null) {
                    r.received(e);
                }
            });
        } catch (RejectedExecutionException ignored) {
            // closed meanwhile
        }
    }

    @Override
    public String describe() {
        return "in-process (" + name + " end)";
    }

    @Override
    public LinkStats stats() {
        return stats;
    }

    @Override
    public void close() {
        closed = true;
        delivery.shutdownNow();
        try {
            delivery.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
