package io.iontrap.hardware.client;

import io.iontrap.hardware.drive.DrivePlan;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.protocol.Message.Shot;
import io.iontrap.hardware.protocol.ProtocolException;
import io.iontrap.hardware.transport.Link;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * What an experiment uses to drive a trap, whatever the link underneath (serial, MQTT, in-process).
 * <ul>
 *   <li>Requests get a correlation id {@code <session>-<seq>}, an expiry ({@link Options#commandTtl}),
 *       and are retried with the same id after {@link Options#timeout} (the device never runs an id
 *       twice, it repeats its reply).</li>
 *   <li>Every send goes through one writer thread and a priority queue: an {@link #abort} is sent
 *       before anything still queued, and never waits for another request's reply.</li>
 *   <li>A refused {@link DrivePlan} is never sent.</li>
 *   <li>Shots stream in; duplicates (QoS 1) are dropped by shot index; shots lost on the way are
 *       fetched from the device when the run ends, so a {@link RunResult} is complete.</li>
 * </ul>
 */
public final class IonTrapClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IonTrapClient.class.getName());
    private static final int ABORT_PRIORITY = 0;
    private static final int NORMAL_PRIORITY = 1;

    /** Reply timeout per attempt, retries after the first attempt, command lifetime. */
    public record Options(Duration timeout, int retries, Duration commandTtl) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(2), 3, Duration.ofSeconds(10));
        }
    }

    private final Link link;
    private final Options options;
    private final String session = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong order = new AtomicLong();
    private final Map<String, CompletableFuture<Message.Reply>> pending = new ConcurrentHashMap<>();
    private final Map<String, RunHandle> runs = new ConcurrentHashMap<>();
    private final PriorityBlockingQueue<Outgoing> queue = new PriorityBlockingQueue<>();
    private final ExecutorService events;
    private final Thread writer;
    private final AtomicLong retriesSent = new AtomicLong();
    private volatile Message.Status lastStatus;
    private volatile Consumer<Message.Status> statusListener = s -> { };
    private volatile boolean closed;

    private record Outgoing(int priority, long order, Envelope envelope) implements Comparable<Outgoing> {
        @Override
        public int compareTo(Outgoing o) {
            int c = Integer.compare(priority, o.priority);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    public IonTrapClient(Link link, Options options) throws IOException {
        this.link = link;
        this.options = options;
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "client-events");
            t.setDaemon(true);
            return t;
        });
        this.writer = new Thread(this::writeLoop, "client-writer");
        this.writer.setDaemon(true);
        link.start(new Link.Receiver() {
            @Override
            public void received(Envelope e) {
                onReceived(e);
            }

            @Override
            public void rejected(ProtocolException e) {
                LOG.fine("client dropped a damaged message: " + e.getMessage());
            }
        });
        writer.start();
    }

    public IonTrapClient(Link link) throws IOException {
        this(link, Options.defaults());
    }

    private void writeLoop() {
        while (!closed) {
            Outgoing o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                link.send(o.envelope());
            } catch (IOException e) {
                LOG.warning("send failed (" + link.describe() + "): " + e.getMessage());
            }
        }
    }

    private void onReceived(Envelope e) {
        if (e.kind() == Envelope.Kind.REPLY) {
            CompletableFuture<Message.Reply> f = pending.get(e.id());
            if (f != null) {
                f.complete((Message.Reply) e.message());
            }
            return;
        }
        if (e.kind() != Envelope.Kind.EVENT) {
            return;
        }
        Message m = e.message();
        if (m instanceof Message.Status s) {
            lastStatus = s;
            events.execute(() -> statusListener.accept(s));
        } else if (m instanceof Message.Shots s) {
            RunHandle h = runs.get(s.runId());
            if (h != null) {
                events.execute(() -> h.accept(s.shots()));
            }
        } else if (m instanceof Message.Done d) {
            RunHandle h = runs.get(d.runId());
            if (h != null) {
                events.execute(() -> h.finish(d.outcome(), d.shots(), d.detail()));
            }
        }
    }

    /** Sends a command and waits for its reply, retrying with the same id. */
    public Message.Reply request(Message.Command c) {
        return request(c, c instanceof Message.Abort ? ABORT_PRIORITY : NORMAL_PRIORITY);
    }

    private Message.Reply request(Message.Command c, int priority) {
        if (closed) {
            throw new IllegalStateException("client is closed");
        }
        String id = session + "-" + seq.incrementAndGet();
        CompletableFuture<Message.Reply> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            for (int attempt = 0; attempt <= options.retries(); attempt++) {
                if (attempt > 0) {
                    retriesSent.incrementAndGet();
                }
                long expires = System.currentTimeMillis() + options.commandTtl().toMillis();
                queue.add(new Outgoing(priority, order.incrementAndGet(), Envelope.command(id, expires, c)));
                try {
                    return f.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // retry with the same id
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DeviceTimeoutException("interrupted waiting for " + c.type());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            throw new DeviceTimeoutException("no reply to " + c.type() + " (id " + id + ") after "
                    + (options.retries() + 1) + " attempts of " + options.timeout().toMillis() + " ms over "
                    + link.describe());
        } finally {
            pending.remove(id);
        }
    }

    private static <T extends Message.Reply> T expect(Message.Reply r, Class<T> type) {
        if (r instanceof Message.Error e) {
            throw new DeviceException(e.code(), e.message(), e.violations());
        }
        if (!type.isInstance(r)) {
            throw new IllegalStateException("expected " + type.getSimpleName() + ", got " + r.type());
        }
        return type.cast(r);
    }

    public Message.Identity identify() {
        return expect(request(new Message.Identify("iontrap-client/" + session)), Message.Identity.class);
    }

    public void configure(DriveSettings settings) {
        expect(request(new Message.Configure(settings)), Message.Ok.class);
    }

    /** Sends the plan's quantised settings; a refused plan throws before anything is sent. */
    public void configure(DrivePlan plan) {
        configure(plan.settingsToSend());
    }

    public Message.Status status() {
        return expect(request(new Message.GetStatus()), Message.Status.class);
    }

    /** Sends abort ahead of every queued command and waits for its acknowledgement. */
    public void abort(String reason) {
        expect(request(new Message.Abort(reason), ABORT_PRIORITY), Message.Ok.class);
    }

    public Message.Shots fetch(String runId, long from, int max) {
        return expect(request(new Message.Fetch(runId, from, max)), Message.Shots.class);
    }

    /** The last status event the device published (null before any). */
    public Message.Status lastStatus() {
        return lastStatus;
    }

    public void onStatus(Consumer<Message.Status> listener) {
        this.statusListener = listener;
    }

    /** Retries sent so far (for link statistics). */
    public long retries() {
        return retriesSent.get();
    }

    /**
     * Starts a run: hold times in seconds, {@code shotsPerPoint} shots each. {@code listener} sees shot
     * batches as they stream in (on the client's event thread, duplicates removed).
     */
    public RunHandle run(String runId, List<Double> holdTimesSeconds, int shotsPerPoint, String initialState,
                         Consumer<List<Shot>> listener) {
        Message.Run r = new Message.Run(runId, holdTimesSeconds, shotsPerPoint, initialState);
        RunHandle h = new RunHandle(runId, r.totalShots(), listener);
        if (runs.putIfAbsent(runId, h) != null) {
            throw new IllegalArgumentException("run id " + runId + " already used by this client");
        }
        try {
            expect(request(r), Message.Ok.class);
        } catch (RuntimeException e) {
            runs.remove(runId);
            throw e;
        }
        return h;
    }

    public LinkStatsView linkStats() {
        return new LinkStatsView(link.stats().toString(), retriesSent.get());
    }

    /** Link counters and client retries, for reports. */
    public record LinkStatsView(String link, long retries) {
    }

    /** A run in progress. */
    public final class RunHandle {
        private final String runId;
        private final long expected;
        private final Consumer<List<Shot>> listener;
        private final ConcurrentSkipListMap<Long, Shot> shots = new ConcurrentSkipListMap<>();
        private final CompletableFuture<RunResult> done = new CompletableFuture<>();

        RunHandle(String runId, long expected, Consumer<List<Shot>> listener) {
            this.runId = runId;
            this.expected = expected;
            this.listener = listener == null ? s -> { } : listener;
        }

        public String runId() {
            return runId;
        }

        public long received() {
            return shots.size();
        }

        void accept(List<Shot> batch) {
            List<Shot> fresh = new ArrayList<>();
            for (Shot s : batch) {
                if (s.index() >= 0 && s.index() < expected && shots.putIfAbsent(s.index(), s) == null) {
                    fresh.add(s);
                }
            }
            if (!fresh.isEmpty()) {
                listener.accept(fresh);
            }
        }

        /** Fills gaps from the device's store, then completes. Runs on the event thread. */
        void finish(String outcome, long total, String detail) {
            if (done.isDone()) {
                return;
            }
            long n = Math.min(total, expected);
            try {
                for (long i = 0; i < n; i++) {
                    if (!shots.containsKey(i)) {
                        Message.Shots got = fetch(runId, i, 1000);
                        accept(got.shots());
                        if (got.shots().isEmpty()) {
                            break;
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.warning("could not fetch missing shots of " + runId + ": " + e.getMessage());
            }
            long missing = 0;
            for (long i = 0; i < n; i++) {
                if (!shots.containsKey(i)) {
                    missing++;
                }
            }
            runs.remove(runId);
            done.complete(new RunResult(runId, outcome, new ArrayList<>(shots.headMap(n).values()), missing, detail));
        }

        public CompletableFuture<RunResult> completion() {
            return done;
        }

        /**
         * Waits for the end of the run. If the "done" event was lost, the device's status tells that the
         * run is over, and the result is completed from its store.
         */
        public RunResult await(Duration timeout) throws TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("run " + runId + " not finished after " + timeout);
                }
                try {
                    return done.get(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    Message.Status s;
                    try {
                        s = status();
                    } catch (RuntimeException ex) {
                        continue;
                    }
                    if (runId.equals(s.runId()) && !s.state().equals("running")) {
                        String outcome = s.detail() == null ? "completed" : s.detail();
                        events.execute(() -> finish(outcome, s.shotsDone(), "completed from status"));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TimeoutException("interrupted");
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        events.shutdownNow();
        link.close();
        try {
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
