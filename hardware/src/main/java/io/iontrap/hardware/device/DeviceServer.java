package io.iontrap.hardware.device;

import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.ErrorCode;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.protocol.ProtocolException;
import io.iontrap.hardware.transport.Link;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Serves a {@link DeviceEndpoint} over any {@link Link}. For every command, in this order:
 * <ol>
 *   <li>replay guard: a correlation id already executed is never executed again; by default the
 *       cached reply is sent again (QoS 1 and serial retries deliver duplicates), with
 *       {@link ReplayPolicy#REJECT} an error -231 is sent instead;</li>
 *   <li>expiry: a command whose {@code expiresAt} has passed is refused with -230 and never runs;</li>
 *   <li>the endpoint handles it; an exception becomes error -300.</li>
 * </ol>
 * A client's MQTT last will (an abort whose id starts with {@value #WILL_PREFIX}) is held for a grace
 * period and carried out only if no other command arrives meanwhile: mosquitto also publishes the
 * wills of every connected client when the broker itself shuts down, and a broker restart must not
 * abort a run whose client reconnects (it polls status every second while it waits). A client that
 * really is gone stays silent, and the drives go to the safe state after the grace period.
 * An intact frame with invalid content is answered with -100. Everything sent (replies and events)
 * goes through one writer thread, in order.
 */
public final class DeviceServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeviceServer.class.getName());

    public enum ReplayPolicy { RESEND_CACHED, REJECT }

    /** Correlation-id prefix of the abort a client leaves as its MQTT last will. */
    public static final String WILL_PREFIX = "will-";
    /** How long a last-will abort waits for a sign of life from a client before it is carried out. */
    public static final java.time.Duration WILL_GRACE = java.time.Duration.ofSeconds(3);

    private final Link link;
    private final DeviceEndpoint endpoint;
    private final ReplayPolicy replayPolicy;
    private final LongSupplier clock;
    private final Map<String, Message.Reply> executed;
    private final ExecutorService writer;
    private final AtomicLong eventSeq = new AtomicLong();
    private final AtomicLong replays = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong commandsSeen = new AtomicLong();
    private final java.util.concurrent.ScheduledExecutorService willTimer;

    public DeviceServer(Link link, DeviceEndpoint endpoint) {
        this(link, endpoint, ReplayPolicy.RESEND_CACHED, 4096, System::currentTimeMillis);
    }

    public DeviceServer(Link link, DeviceEndpoint endpoint, ReplayPolicy replayPolicy, int replayCapacity,
                        LongSupplier clock) {
        this.link = link;
        this.endpoint = endpoint;
        this.replayPolicy = replayPolicy;
        this.clock = clock;
        this.executed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Message.Reply> eldest) {
                return size() > replayCapacity;
            }
        };
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "device-writer");
            t.setDaemon(true);
            return t;
        });
        this.willTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "device-will-grace");
            t.setDaemon(true);
            return t;
        });
    }

    public DeviceServer start() throws IOException {
        link.start(new Link.Receiver() {
            @Override
            public void received(Envelope e) {
                onCommand(e);
            }

            @Override
            public void rejected(ProtocolException e) {
                if (e.commandId() != null) {
                    send(Envelope.reply(e.commandId(),
                            new Message.Error(ErrorCode.COMMAND_ERROR, e.getMessage(), List.of())));
                }
            }
        });
        return this;
    }

    /** The sink endpoints emit events into. */
    public DeviceEndpoint.EventSink events() {
        return ev -> send(Envelope.event("e" + eventSeq.incrementAndGet(), ev));
    }

    public long replaysSeen() {
        return replays.get();
    }

    public long expiredSeen() {
        return expired.get();
    }

    private void onCommand(Envelope e) {
        if (e.kind() != Envelope.Kind.COMMAND) {
            return;
        }
        Message.Reply cached;
        synchronized (executed) {
            cached = executed.get(e.id());
        }
        if (cached != null) {
            replays.incrementAndGet();
            send(Envelope.reply(e.id(), replayPolicy == ReplayPolicy.RESEND_CACHED ? cached
                    : new Message.Error(ErrorCode.REPLAYED, "command id " + e.id() + " was already executed",
                    List.of())));
            return;
        }
        if (e.id().startsWith(WILL_PREFIX) && e.message() instanceof Message.Abort) {
            holdWill(e);
            return;
        }
        commandsSeen.incrementAndGet();
        execute(e);
    }

    private void holdWill(Envelope will) {
        synchronized (executed) {
            if (executed.putIfAbsent(will.id(), new Message.Ok("last will held for " + WILL_GRACE.toSeconds() + " s")) != null) {
                return; // a duplicate delivery of a will already held
            }
        }
        long seenAtWill = commandsSeen.get();
        try {
            willTimer.schedule(() -> {
                if (commandsSeen.get() == seenAtWill) {
                    LOG.warning("client silent " + WILL_GRACE.toSeconds() + " s after its last will: " + will.id());
                    synchronized (executed) {
                        executed.remove(will.id());
                    }
                    execute(will);
                } else {
                    LOG.info("last will " + will.id() + " ignored: a client sent commands since (broker restart)");
                }
            }, WILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            execute(will);
        }
    }

    private void execute(Envelope e) {
        Message.Reply reply;
        if (e.expired(clock.getAsLong())) {
            expired.incrementAndGet();
            reply = new Message.Error(ErrorCode.EXPIRED, "command " + e.message().type() + " expired at "
                    + e.expiresAtMillis() + " (now " + clock.getAsLong() + "): not executed", List.of());
        } else {
            try {
                reply = endpoint.handle((Message.Command) e.message(), events());
            } catch (RuntimeException ex) {
                LOG.warning("device endpoint failed on " + e.message().type() + ": " + ex);
                reply = new Message.Error(ErrorCode.DEVICE_ERROR, "device error: " + ex.getMessage(), List.of());
            }
        }
        synchronized (executed) {
            executed.put(e.id(), reply);
        }
        send(Envelope.reply(e.id(), reply));
    }

    private void send(Envelope e) {
        try {
            writer.execute(() -> {
                try {
                    link.send(e);
                } catch (IOException ex) {
                    LOG.warning("device could not send " + e.message().type() + ": " + ex.getMessage());
                }
            });
        } catch (RejectedExecutionException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        willTimer.shutdown();
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        link.close();
    }
}
