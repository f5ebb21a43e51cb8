package io.iontrap.hardware.protocol;

import io.iontrap.hardware.drive.ChannelSetting;
import io.iontrap.hardware.drive.DriveSettings;
import io.iontrap.hardware.drive.LimitCheck;
import io.iontrap.hardware.trap.TrapSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The limits a device announces in {@link Message.Identity} and enforces itself on every
 * {@link Message.Configure} and {@link Message.Run}, whatever the client checked before (limits are
 * enforced twice).
 */
public record DeviceLimits(int spins, List<ChannelLimit> channels, double maxTotalPower, double maxHoldTimeSeconds,
                           long maxShotsPerRun, TrapSpec.Dds dds) {

    public record ChannelLimit(String name, String role, double minFrequencyHz, double maxFrequencyHz,
                               double maxAmplitude) {
    }

    public DeviceLimits {
        channels = List.copyOf(channels);
    }

    public static DeviceLimits fromTrap(TrapSpec trap, double maxHoldTimeSeconds, long maxShotsPerRun) {
        List<ChannelLimit> ch = new ArrayList<>();
        for (TrapSpec.Channel c : trap.channels()) {
            ch.add(new ChannelLimit(c.name(), c.role().label(), c.minFrequency().hz(), c.maxFrequency().hz(),
                    c.maxAmplitude()));
        }
        return new DeviceLimits(trap.spinIons().size(), ch, trap.maxTotalPower(), maxHoldTimeSeconds, maxShotsPerRun,
                trap.dds());
    }

    public ChannelLimit channel(String name) {
        for (ChannelLimit c : channels) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Every problem of {@code settings} against these limits, one line each; empty when acceptable. */
    public List<String> check(DriveSettings settings) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ChannelSetting s : settings.channels()) {
            ChannelLimit lim = channel(s.channel());
            if (lim == null) {
                out.add(s.channel() + ": no such channel on this device");
                continue;
            }
            seen.add(s.channel());
            List<LimitCheck> checks = new ArrayList<>();
            checks.add(LimitCheck.atLeast(s.channel(), "minFrequencyHz", "RF frequency", s.frequency().hz(),
                    lim.minFrequencyHz(), "Hz"));
            checks.add(LimitCheck.atMost(s.channel(), "maxFrequencyHz", "RF frequency", s.frequency().hz(),
                    lim.maxFrequencyHz(), "Hz"));
            if (s.on()) {
                checks.add(LimitCheck.atMost(s.channel(), "maxAmplitude", "amplitude", s.amplitude(), lim.maxAmplitude(),
                        "of full scale"));
                checks.add(LimitCheck.atLeast(s.channel(), "amplitude >= 0", "amplitude", s.amplitude(), 0, "of full scale"));
            }
            checks.add(LimitCheck.atLeast(s.channel(), "phase >= 0", "phase", s.phaseTurns(), 0, "turns"));
            checks.add(LimitCheck.atMost(s.channel(), "phase < 1", "phase", s.phaseTurns(), 1, "turns"));
            for (LimitCheck c : checks) {
                if (c.violated()) {
                    out.add(c.message());
                }
            }
        }
        for (ChannelLimit c : channels) {
            if (!seen.contains(c.name())) {
                out.add(c.name() + ": no setting given (every channel must be set)");
            }
        }
        LimitCheck power = LimitCheck.atMost("device", "maxTotalPower", "total RF power sum(a^2)", settings.totalPower(),
                maxTotalPower, "full-scale channels");
        if (power.violated()) {
            out.add(power.message());
        }
        return out;
    }

    /** Every problem of a run request; empty when acceptable. */
    public List<String> check(Message.Run run) {
        List<String> out = new ArrayList<>();
        if (run.runId() == null || run.runId().isBlank()) {
            out.add("runId: missing");
        }
        if (run.holdTimesSeconds().isEmpty()) {
            out.add("holdTimesSeconds: the schedule is empty");
        }
        for (int i = 0; i < run.holdTimesSeconds().size(); i++) {
            double t = run.holdTimesSeconds().get(i);
            if (!(t >= 0 && t <= maxHoldTimeSeconds)) {
                out.add(String.format(java.util.Locale.ROOT, "holdTimesSeconds[%d]: %.6g s outside [0, %.6g] s", i, t,
                        maxHoldTimeSeconds));
            }
        }
        if (run.shotsPerPoint() < 1) {
            out.add("shotsPerPoint: " + run.shotsPerPoint() + " < 1");
        }
        if (run.totalShots() > maxShotsPerRun) {
            out.add("shots: " + run.totalShots() + " > maxShotsPerRun = " + maxShotsPerRun);
        }
        if (run.initialState() != null && !run.initialState().isEmpty()) {
            if (run.initialState().length() != spins || !run.initialState().matches("[01]*")) {
                out.add("initialState: \"" + run.initialState() + "\" must be " + spins + " characters 0/1");
            }
        }
        return out;
    }
}
