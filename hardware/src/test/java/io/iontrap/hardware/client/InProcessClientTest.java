package io.iontrap.hardware.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.protocol.Envelope;
import io.iontrap.hardware.protocol.ErrorCode;
import io.iontrap.hardware.protocol.Message;
import io.iontrap.hardware.transport.InProcessLink;
import io.iontrap.hardware.transport.Link;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InProcessClientTest extends ClientScenarios {
    @Override
    protected Link[] links() {
        return InProcessLink.pair();
    }

    @Override
    protected String name() {
        return "in-process";
    }

    @Test
    void expiredCommandsNeverRun() throws Exception {
        Link[] l = links();
        device = new io.iontrap.hardware.TestDevice(0, 10);
        server = new io.iontrap.hardware.device.DeviceServer(l[1], device).start();
        client = new IonTrapClient(l[0], new IonTrapClient.Options(Duration.ofSeconds(1), 0, Duration.ofMillis(-1)));
        DeviceException e = org.junit.jupiter.api.Assertions.assertThrows(DeviceException.class,
                () -> client.configure(plan()));
        assertEquals(ErrorCode.EXPIRED, e.code());
        assertEquals(null, device.lastApplied());
        assertEquals(1, server.expiredSeen());
    }

    @Test
    void aReplayedCommandIdIsNeverExecutedTwice() throws Exception {
        InProcessLink[] l = InProcessLink.pair();
        device = new io.iontrap.hardware.TestDevice(0, 10);
        server = new io.iontrap.hardware.device.DeviceServer(l[1], device).start();
        LinkedBlockingQueue<Envelope> replies = new LinkedBlockingQueue<>();
        l[0].start(replies::add);
        Envelope cfg = Envelope.command("dup-1", 0, new Message.Configure(plan().quantised()));
        l[0].send(cfg);
        l[0].send(cfg);
        Envelope first = next(replies);
        Envelope second = next(replies);
        assertEquals("dup-1", first.id());
        assertEquals(first, second, "the cached reply is repeated");
        assertEquals(1, device.applied.size(), "executed once");
        assertEquals(1, server.replaysSeen());
        l[0].close();
    }

    @Test
    void replayPolicyRejectAnswersWithAnError() throws Exception {
        InProcessLink[] l = InProcessLink.pair();
        device = new io.iontrap.hardware.TestDevice(0, 10);
        server = new io.iontrap.hardware.device.DeviceServer(l[1], device,
                io.iontrap.hardware.device.DeviceServer.ReplayPolicy.REJECT, 16, System::currentTimeMillis).start();
        LinkedBlockingQueue<Envelope> replies = new LinkedBlockingQueue<>();
        l[0].start(replies::add);
        Envelope st = Envelope.command("dup-2", 0, new Message.GetStatus());
        l[0].send(st);
        l[0].send(st);
        next(replies);
        Envelope second = next(replies);
        assertTrue(second.message() instanceof Message.Error err && err.code() == ErrorCode.REPLAYED);
        l[0].close();
    }

    @Test
    void invalidCommandIsAnsweredNotIgnored() throws Exception {
        InProcessLink[] l = InProcessLink.pair();
        device = new io.iontrap.hardware.TestDevice(0, 10);
        server = new io.iontrap.hardware.device.DeviceServer(l[1], device).start();
        LinkedBlockingQueue<Envelope> replies = new LinkedBlockingQueue<>();
        l[0].start(replies::add);
        l[0].send(Envelope.command("bad-1", 0, new Message.Run("r", List.of(), 0, "x")));
        Envelope r = next(replies);
        assertTrue(r.message() instanceof Message.Error err && err.code() == ErrorCode.DATA_OUT_OF_RANGE
                && err.violations().size() == 3, r.toString());
        l[0].close();
    }

    /** A link whose sends block until released, recording the order in which they go out. */
    static final class GatedLink implements Link {
        final InProcessLink inner;
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        final List<String> order = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        GatedLink(InProcessLink inner) {
            this.inner = inner;
        }

        @Override
        public void start(Receiver r) {
            inner.start(r);
        }

        @Override
        public void send(Envelope e) throws java.io.IOException {
            try {
                gate.await();
            } catch (InterruptedException ex) {
                throw new java.io.IOException(ex);
            }
            order.add(e.message().type());
            inner.send(e);
        }

        @Override
        public String describe() {
            return "gated " + inner.describe();
        }

        @Override
        public io.iontrap.hardware.transport.LinkStats stats() {
            return inner.stats();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void abortIsSentBeforeEverythingQueued() throws Exception {
        InProcessLink[] l = InProcessLink.pair();
        device = new io.iontrap.hardware.TestDevice(0, 10);
        server = new io.iontrap.hardware.device.DeviceServer(l[1], device).start();
        GatedLink gated = new GatedLink(l[0]);
        client = new IonTrapClient(gated, new IonTrapClient.Options(Duration.ofSeconds(5), 0, Duration.ofSeconds(10)));
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> client.status());
            threads.add(t);
            t.start();
        }
        Thread.sleep(300); // the writer holds one status at the gate, five are queued
        Thread aborter = new Thread(() -> client.abort("first!"));
        aborter.start();
        Thread.sleep(200);
        gated.gate.countDown();
        aborter.join(5000);
        for (Thread t : threads) {
            t.join(5000);
        }
        assertEquals(List.of("status", "abort", "status", "status", "status", "status", "status"), gated.order);
    }

    private static Envelope next(LinkedBlockingQueue<Envelope> q) throws InterruptedException {
        Envelope e;
        do {
            e = q.poll(5, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no reply");
            }
        } while (e.kind() != Envelope.Kind.REPLY);
        return e;
    }
}
