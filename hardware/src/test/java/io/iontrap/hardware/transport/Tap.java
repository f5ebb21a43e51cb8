package io.iontrap.hardware.transport;

import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.ProtocolException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A link seen from inside its owner: every envelope sent and delivered, and every rejected frame by
 * the field its {@link ProtocolException} names ({@code crc}, {@code frame}, ...).
 */
final class Tap implements Link {
    private final Link inner;
    private final List<Envelope> sent = new ArrayList<>();
    private final List<Envelope> received = new ArrayList<>();
    private final Map<String, Integer> rejected = new TreeMap<>();

    Tap(Link inner) {
        this.inner = inner;
    }

    synchronized List<Envelope> sent() {
        return List.copyOf(sent);
    }

    synchronized List<Envelope> received() {
        return List.copyOf(received);
    }

    synchronized Map<String, Integer> rejected() {
        return new TreeMap<>(rejected);
    }

    synchronized int rejectedTotal() {
        return rejected.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public void start(Receiver r) throws IOException {
        inner.start(new Receiver() {
            @Override
            public void received(Envelope e) {
                synchronized (Tap.this) {
                    received.add(e);
                }
                r.received(e);
            }

            @Override
            public void rejected(ProtocolException e) {
                synchronized (Tap.this) {
                    rejected.merge(e.field(), 1, Integer::sum);
                }
                r.rejected(e);
            }
        });
    }

    @Override
    public void send(Envelope e) throws IOException {
        inner.send(e);
        synchronized (this) {
            sent.add(e);
        }
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public LinkStats stats() {
        return inner.stats();
    }

    @Override
    public void close() {
        inner.close();
    }
}
