package io.iontrap.hardware.drive;

import io.iontrap.hardware.trap.TrapSpec.Dds;
import io.iontrap.hardware.units.CyclicFrequency;

/**
 * What one DDS channel is set to: RF frequency (cyclic Hz), amplitude (fraction of full scale),
 * phase (turns, [0, 1)), on/off. An off channel has amplitude 0.
 */
public record ChannelSetting(String channel, CyclicFrequency frequency, double amplitude, double phaseTurns,
                             boolean on) {

    public static ChannelSetting off(String channel, CyclicFrequency frequency) {
        return new ChannelSetting(channel, frequency, 0, 0, false);
    }

    /** The machine words of this setting on {@code dds}. */
    public DdsWords words(Dds dds) {
        return new DdsWords(channel, dds.frequencyWord(frequency), on ? dds.amplitudeWord(amplitude) : 0,
                dds.phaseWord(phaseTurns), on);
    }

    /** This setting as the DDS will really produce it (values of the rounded words). */
    public ChannelSetting quantised(Dds dds) {
        return words(dds).setting(dds);
    }

    /** Frequency tuning word, amplitude scale factor and phase offset word of one channel. */
    public record DdsWords(String channel, long ftw, long asf, long pow, boolean on) {
        public ChannelSetting setting(Dds dds) {
            return new ChannelSetting(channel, dds.frequency(ftw), on ? dds.amplitude(asf) : 0, dds.phase(pow), on);
        }
    }
}
