package io.iontrap.hardware.client;

import io.iontrap.hardware.protocol.Message.Shot;
import java.util.List;

/** A finished run: outcome (completed, aborted, failed), every shot in index order, shots still missing. */
public record RunResult(String runId, String outcome, List<Shot> shots, long missing, String detail) {
    public RunResult {
        shots = List.copyOf(shots);
    }
}
