package io.iontrap.hardware.fuzz;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one decoder call under a time limit on a worker thread and sorts the outcome: a result, an
 * exception of the documented type, or a failure (a hang, any other exception, any Error such as
 * StackOverflowError or OutOfMemoryError).
 */
public final class Bounded {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fuzz-worker");
        t.setDaemon(true);
        return t;
    });
    public static final Duration LIMIT = Duration.ofSeconds(10);

    private Bounded() {
    }

    /** The outcome of one call: exactly one of value and refusal is non-null (or value is null and refusal too, for a null result). */
    public record Outcome<T>(T value, RuntimeException refusal) {
        public boolean refused() {
            return refusal != null;
        }
    }

    public static <T> Outcome<T> call(Callable<T> c, Class<? extends RuntimeException> documented) {
        Future<T> f = POOL.submit(c);
        try {
            return new Outcome<>(f.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("decoder did not finish within " + LIMIT + " (hang)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (documented.isInstance(t)) {
                RuntimeException r = documented.cast(t);
                if (r.getMessage() == null || r.getMessage().isBlank()) {
                    throw new AssertionError("refusal without a message", r);
                }
                return new Outcome<>(null, r);
            }
            throw new AssertionError("decoder crashed with " + t + " instead of a result or a "
                    + documented.getSimpleName(), t);
        }
    }
}
