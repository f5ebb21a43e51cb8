package io.iontrap.hardware.drive;

import io.iontrap.hardware.trap.TrapSpec.Dds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One setting per channel of the trap, in the trap file's channel order: what the device receives. */
public record DriveSettings(List<ChannelSetting> channels) {
    public DriveSettings {
        channels = List.copyOf(channels);
        Map<String, ChannelSetting> seen = new LinkedHashMap<>();
        for (ChannelSetting c : channels) {
            if (seen.put(c.channel(), c) != null) {
                throw new IllegalArgumentException("channel " + c.channel() + " set twice");
            }
        }
    }

    public ChannelSetting get(String channel) {
        for (ChannelSetting c : channels) {
            if (c.channel().equals(channel)) {
                return c;
            }
        }
        return null;
    }

    public DriveSettings quantised(Dds dds) {
        List<ChannelSetting> out = new ArrayList<>();
        for (ChannelSetting c : channels) {
            out.add(c.quantised(dds));
        }
        return new DriveSettings(out);
    }

    public List<ChannelSetting.DdsWords> words(Dds dds) {
        List<ChannelSetting.DdsWords> out = new ArrayList<>();
        for (ChannelSetting c : channels) {
            out.add(c.words(dds));
        }
        return out;
    }

    /** All channels off (the safe state): frequencies kept, amplitudes 0. */
    public DriveSettings allOff() {
        List<ChannelSetting> out = new ArrayList<>();
        for (ChannelSetting c : channels) {
            out.add(ChannelSetting.off(c.channel(), c.frequency()));
        }
        return new DriveSettings(out);
    }

    /** Σ a² over channels that are on: RF power in units of one channel at full scale. */
    public double totalPower() {
        double p = 0;
        for (ChannelSetting c : channels) {
            if (c.on()) {
                p += c.amplitude() * c.amplitude();
            }
        }
        return p;
    }
}
