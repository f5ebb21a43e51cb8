package io.iontrap.hardware.drive;

import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.units.CyclicFrequency;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.Parameters;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of {@link DriveCompiler#compile}: the requested model, per-channel settings (ideal and
 * as quantised to DDS words), the model the quantised settings really realise, every limit check,
 * and the warnings. {@link #refused()} is true when any check is violated: then nothing may be sent.
 */
public record DrivePlan(TrapSpec trap, Parameters model, ModelUnit unit, List<ChannelPlan> channels,
                        DriveSettings ideal, DriveSettings quantised, Parameters achieved,
                        List<LimitCheck> checks, List<String> warnings, double occupation) {

    /** Per-channel detail: the Rabi frequency and optical detuning it is meant to produce. */
    public record ChannelPlan(String channel, TrapSpec.ChannelRole role, List<String> ions, CyclicFrequency rabi,
                              CyclicFrequency opticalDetuning, ChannelSetting ideal, ChannelSetting quantised,
                              ChannelSetting.DdsWords words) {
    }

    public DrivePlan {
        channels = List.copyOf(channels);
        checks = List.copyOf(checks);
        warnings = List.copyOf(warnings);
    }

    public List<LimitCheck> violations() {
        List<LimitCheck> out = new ArrayList<>();
        for (LimitCheck c : checks) {
            if (c.violated()) {
                out.add(c);
            }
        }
        return out;
    }

    public boolean refused() {
        return !violations().isEmpty();
    }

    /** The settings to send; refuses (listing every violation) when the plan is refused. */
    public DriveSettings settingsToSend() {
        if (refused()) {
            throw new PlanRefusedException(violations());
        }
        return quantised;
    }
}
