package io.iontrap.hardware.transport;

import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.JsonCodec;
import io.iontrap.hardware.protocol.Message;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * MQTT through Eclipse Paho (3.1.1), JSON payloads ({@link JsonCodec}). Topics per device
 * (docs/protocol.md): {@code <prefix>/<device>/command} (client → device), {@code .../response}
 * (replies), {@code .../data} (shots, run ends), {@code .../status} (retained; the device's last will
 * publishes "offline" there). QoS 1 everywhere, so a message may arrive twice: commands are made
 * idempotent by their correlation id on the device, events by their shot index on the client.
 * MQTT 3.1.1 has no message expiry, so commands carry their own {@code expiresAt}.
 * <p>
 * Paho rules kept here: {@link #send} is called from one thread; {@code messageArrived} only hands the
 * payload to a single-thread executor (it must not block the client); automatic reconnect with a
 * clean session, so subscriptions are renewed in {@code connectComplete}; {@code MemoryPersistence};
 * in-flight window raised to 1000 and sends retried when it is full; messages published while
 * disconnected are buffered.
 * <p>
 * A client's last will is an {@code abort} command on the device's command topic (id
 * {@code will-<client>-<connection>}, no expiry): when a client's link dies without a clean
 * DISCONNECT, the broker delivers it and the device goes to its safe state (every drive off). The id
 * is renewed for every connection, so a second loss is not taken for a replay. Observers that must
 * never abort anything turn it off with {@link #abortOnLinkLoss(boolean)}.
 */
public final class MqttLink implements Link {
    private static final Logger LOG = Logger.getLogger(MqttLink.class.getName());

    public enum Role { CLIENT, DEVICE }

    private final MqttConfig config;
    private final String deviceId;
    private final Role role;
    private final String clientId;
    private final LinkStats stats = new LinkStats();
    private final ExecutorService inbound;
    private volatile MqttAsyncClient client;
    private MqttConnectOptions options;
    private volatile Receiver receiver;
    private final CompletableFuture<Void> firstSubscription = new CompletableFuture<>();
    private final java.util.concurrent.ScheduledExecutorService watchdog;
    private volatile boolean closed;
    private volatile long disconnectedSince;
    private volatile boolean willAborts = true;
    private final java.util.concurrent.atomic.AtomicLong connections = new java.util.concurrent.atomic.AtomicLong();

    public MqttLink(MqttConfig config, String deviceId, Role role) {
        if (!deviceId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("device id \"" + deviceId + "\" must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        this.config = config;
        this.deviceId = deviceId;
        this.role = role;
        this.clientId = "iontrap-" + (role == Role.DEVICE ? "dev-" + deviceId : "cli-"
                + UUID.randomUUID().toString().substring(0, 8));
        this.inbound = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mqtt-inbound-" + clientId);
            t.setDaemon(true);
            return t;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-watchdog-" + clientId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Paho 1.2.5 can stay "connecting" for ever when the broker goes away during a reconnect attempt
     * (seen here in about half of the broker-restart tests: every later {@code reconnect()} fails with
     * 32110 "connect already in progress"). The watchdog replaces such a client by a fresh one with the
     * same options and client id after 5 s down; subscriptions are renewed in {@code connectComplete}.
     */
    private void watch() {
        MqttAsyncClient c = client;
        if (closed || c == null) {
            return;
        }
        if (c.isConnected()) {
            disconnectedSince = 0;
            return;
        }
        long now = System.nanoTime();
        if (disconnectedSince == 0) {
            disconnectedSince = now;
            return;
        }
        if (now - disconnectedSince < TimeUnit.SECONDS.toNanos(5)) {
            return;
        }
        disconnectedSince = now;
        LOG.info("MQTT " + clientId + " down for 5 s: replacing the Paho client");
        try {
            MqttAsyncClient fresh = newClient();
            client = fresh;
            retire(c);
            fresh.connect(options);
        } catch (MqttException e) {
            LOG.info("MQTT " + clientId + " reconnect failed: " + e.getReasonCode() + " " + e.getMessage());
        }
    }

    private static void retire(MqttAsyncClient old) {
        Thread t = new Thread(() -> {
            try {
                old.disconnectForcibly(1, 500, false);
            } catch (MqttException ignored) {
                // it was not connected
            }
            try {
                old.close(true);
            } catch (MqttException ignored) {
                // nothing left to do
            }
        }, "mqtt-retire");
        t.setDaemon(true);
        t.start();
    }

    /**
     * For {@link Role#CLIENT}: whether the last will aborts the device (default on). Call before
     * {@link #start}.
     */
    public MqttLink abortOnLinkLoss(boolean on) {
        this.willAborts = on;
        return this;
    }

    /** The last-will envelope of a client link: abort, no expiry, an id unique to this connection. */
    public static Envelope abortWill(String clientId, long connection) {
        return Envelope.command("will-" + clientId + "-" + connection, 0,
                new Message.Abort("client " + clientId + " lost its link (MQTT last will)"));
    }

    private void renewWill() {
        if (role == Role.CLIENT && willAborts && options != null) {
            options.setWill(topic("command"), JsonCodec.encodeBytes(abortWill(clientId, connections.incrementAndGet())),
                    1, false);
        }
    }

    public String topic(String leaf) {
        return config.topic(deviceId, leaf);
    }

    private String[] subscriptions() {
        return role == Role.DEVICE ? new String[]{topic("command")}
                : new String[]{topic("response"), topic("data"), topic("status")};
    }

    /** The retained payload of the device's last will: status "offline". */
    public static byte[] offlinePayload() {
        return offlinePayload("link lost");
    }

    private static byte[] offlinePayload(String detail) {
        return JsonCodec.encodeBytes(Envelope.event("will", new Message.Status("offline", null, 0, 0, detail)));
    }

    /**
     * Simulates a crash of this end: drops the TCP connection without an MQTT DISCONNECT, so the
     * broker publishes the last will. For fault-injection tests.
     */
    public void abandon() {
        closed = true;
        watchdog.shutdownNow();
        try {
            client.disconnectForcibly(1, 100, false);
        } catch (MqttException ignored) {
            // already gone
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
        inbound.shutdownNow();
    }

    @Override
    public void start(Receiver r) throws IOException {
        this.receiver = r;
        try {
            options = connectOptions();
            client = newClient();
            client.connect(options).waitForCompletion(15_000);
            firstSubscription.get(15, TimeUnit.SECONDS);
            watchdog.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
        } catch (MqttException e) {
            closeQuietly();
            throw new IOException("MQTT connect to " + config.serverUri() + " failed: " + e.getMessage()
                    + " (reason " + e.getReasonCode() + ")", e);
        } catch (Exception e) {
            closeQuietly();
            throw new IOException("MQTT connect to " + config.serverUri() + " failed: " + e, e);
        }
    }

    private MqttConnectOptions connectOptions() throws IOException {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(2000);
        o.setKeepAliveInterval(config.keepAliveSeconds());
        o.setConnectionTimeout(10);
        o.setMaxInflight(1000);
        if (config.username() != null) {
            o.setUserName(config.username());
        }
        char[] password = config.password();
        if (password != null) {
            o.setPassword(password);
        }
        if (config.tls()) {
            o.setSocketFactory(NoDelaySockets.tls(
                    Tls.socketFactory(config.caFile(), config.certFile(), config.keyFile())));
        } else {
            o.setSocketFactory(NoDelaySockets.plain());
        }
        if (role == Role.DEVICE) {
            o.setWill(topic("status"), offlinePayload(), 1, true);
        } else if (willAborts) {
            o.setWill(topic("command"), JsonCodec.encodeBytes(abortWill(clientId, connections.incrementAndGet())), 1,
                    false);
        }
        return o;
    }

    private MqttAsyncClient newClient() throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(config.pahoUri(), clientId, new MemoryPersistence());
        c.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    LOG.info("MQTT " + clientId + " reconnected to " + serverURI);
                }
                subscribe();
            }

            @Override
            public void connectionLost(Throwable cause) {
                LOG.log(Level.INFO, "MQTT " + clientId + " lost its connection: " + cause);
                renewWill();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                byte[] payload = message.getPayload();
                inbound.execute(() -> dispatch(payload));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        buffer.setBufferSize(100_000);
        buffer.setPersistBuffer(false);
        buffer.setDeleteOldestMessages(false);
        c.setBufferOpts(buffer);
        return c;
    }

    private void subscribe() {
        MqttAsyncClient client = this.client;
        String[] topics = subscriptions();
        int[] qos = new int[topics.length];
        java.util.Arrays.fill(qos, 1);
        try {
            client.subscribe(topics, qos, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    firstSubscription.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.warning("MQTT subscribe failed for " + clientId + ": " + e);
                    firstSubscription.completeExceptionally(e);
                }
            });
        } catch (MqttException e) {
            LOG.warning("MQTT subscribe failed for " + clientId + ": " + e);
        }
    }

    private void dispatch(byte[] payload) {
        Receiver r = receiver;
        Envelope e = stats.decodeJson(payload, r);
        if (e == null) {
            return;
        }
        boolean mine = role == Role.DEVICE ? e.kind() == Envelope.Kind.COMMAND : e.kind() != Envelope.Kind.COMMAND;
        if (mine) {
            r.received(e);
        }
    }

    @Override
    public void send(Envelope e) throws IOException {
        String leaf;
        boolean retained = false;
        switch (e.kind()) {
            case COMMAND -> leaf = "command";
            case REPLY -> leaf = "response";
            default -> {
                if (e.message() instanceof Message.Status) {
                    leaf = "status";
                    retained = true;
                } else {
                    leaf = "data";
                }
            }
        }
        byte[] payload = JsonCodec.encodeBytes(e);
        for (int attempt = 0; ; attempt++) {
            try {
                client.publish(topic(leaf), payload, 1, retained);
                break;
            } catch (MqttException ex) {
                if (ex.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT && attempt < 10_000) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while the MQTT in-flight window was full");
                    }
                    continue;
                }
                throw new IOException("MQTT publish to " + topic(leaf) + " failed: " + ex.getMessage(), ex);
            }
        }
        stats.sent.incrementAndGet();
        stats.bytesSent.addAndGet(payload.length);
    }

    public boolean connected() {
        return client != null && client.isConnected();
    }

    @Override
    public String describe() {
        return "MQTT " + config.serverUri() + " device " + deviceId + " as " + role.name().toLowerCase();
    }

    @Override
    public LinkStats stats() {
        return stats;
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        if (client != null && role == Role.DEVICE && client.isConnected()) {
            try {
                client.publish(topic("status"), offlinePayload("device closed"), 1, true).waitForCompletion(2000);
            } catch (MqttException ignored) {
                // best effort; the will covers it
            }
        }
        closeQuietly();
        inbound.shutdownNow();
    }

    private void closeQuietly() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(500).waitForCompletion(2000);
            }
        } catch (MqttException ignored) {
            try {
                client.disconnectForcibly(100, 100);
            } catch (MqttException ignored2) {
                // nothing left to do
            }
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }
}
