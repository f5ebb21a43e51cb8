package io.iontrap.hardware.protocol;

import io.iontrap.hardware.drive.DriveSettings;
import java.util.List;

/**
 * The one message model of docs/protocol.md. Commands go from client to device; every command gets
 * exactly one reply with the same correlation id; events flow from device to client unsolicited.
 * The encodings ({@link SerialFraming}, {@link JsonCodec} for MQTT) carry these records unchanged.
 */
public sealed interface Message permits Message.Command, Message.Reply, Message.Event {

    /** The wire name of the message ("configure", "shots", ...). */
    String type();

    /** Client → device. */
    sealed interface Command extends Message permits Identify, Configure, Run, Abort, GetStatus, Fetch {
    }

    /** Device → client, answering one command. */
    sealed interface Reply extends Message permits Ok, Error, Identity, Status, Shots {
    }

    /** Device → client, unsolicited. */
    sealed interface Event extends Message permits Shots, Done, Status {
    }

    /** Hello: the device answers with {@link Identity} (its capabilities and limits). */
    record Identify(String client) implements Command {
        public String type() {
            return "identify";
        }
    }

    /** Set every channel; the device checks them against its own limits before applying. */
    record Configure(DriveSettings settings) implements Command {
        public String type() {
            return "configure";
        }
    }

    /** Run a schedule: for each hold time (seconds), {@code shotsPerPoint} shots. */
    record Run(String runId, List<Double> holdTimesSeconds, int shotsPerPoint, String initialState) implements Command {
        public Run {
            holdTimesSeconds = List.copyOf(holdTimesSeconds);
        }

        public long totalShots() {
            return (long) holdTimesSeconds.size() * shotsPerPoint;
        }

        public String type() {
            return "run";
        }
    }

    /** Stop now: lasers to the safe state (all channels off), the run ends as "aborted". */
    record Abort(String reason) implements Command {
        public String type() {
            return "abort";
        }
    }

    record GetStatus() implements Command {
        public String type() {
            return "status";
        }
    }

    /** Re-send stored shots of a run from shot index {@code from} (at most {@code max}). */
    record Fetch(String runId, long from, int max) implements Command {
        public String type() {
            return "fetch";
        }
    }

    record Ok(String detail) implements Reply {
        public String type() {
            return "ok";
        }
    }

    /**
     * A refused or failed command. Codes follow SCPI where one fits: {@link ErrorCode}. {@code violations}
     * lists every violated limit (one line each: channel, value, bound).
     */
    record Error(int code, String message, List<String> violations) implements Reply {
        public Error {
            violations = List.copyOf(violations);
        }

        public String type() {
            return "error";
        }
    }

    /** The device's answer to {@link Identify}. */
    record Identity(String deviceId, String model, String firmware, int protocolVersion, List<String> capabilities,
                    DeviceLimits limits) implements Reply {
        public Identity {
            capabilities = List.copyOf(capabilities);
        }

        public String type() {
            return "identity";
        }
    }

    /** Device state: offline, idle, configured, running; the current or last run and its progress. */
    record Status(String state, String runId, long shotsDone, long shotsTotal, String detail) implements Reply, Event {
        public String type() {
            return "status";
        }
    }

    /** One measured shot: global index in the run, schedule point, its hold time, spins as '0'/'1' per ion. */
    record Shot(long index, int point, double holdTimeSeconds, String bits) {
    }

    /** Shot results: streamed as an event, or the reply to {@link Fetch}. */
    record Shots(String runId, List<Shot> shots) implements Reply, Event {
        public Shots {
            shots = List.copyOf(shots);
        }

        public String type() {
            return "shots";
        }
    }

    /** A run ended: outcome completed, aborted or failed; {@code shots} measured in total. */
    record Done(String runId, String outcome, long shots, String detail) implements Event {
        public String type() {
            return "done";
        }
    }
}
