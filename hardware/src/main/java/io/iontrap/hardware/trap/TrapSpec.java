package io.iontrap.hardware.trap;

import io.iontrap.hardware.units.AngularFrequency;
import io.iontrap.hardware.units.CyclicFrequency;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trap as the compiler sees it (docs/trap-file.md): the ion chain, the centre-of-mass mode, the
 * per-ion Lamb-Dicke factors, the addressing channels with their calibrations and limits, the DDS
 * word sizes, the heating rate and the validity bounds. Built by {@link TrapFile}; consistency of
 * channels and ions is checked here.
 */
public record TrapSpec(String name, String species, double ionMassAmu, CyclicFrequency comModeFrequency,
                       double heatingRatePhononsPerSecond, List<Ion> ions, List<Channel> channels, Dds dds,
                       double maxTotalPower, ValidityBounds validity) {

    public enum IonRole { SPIN, COOLANT }

    /**
     * One ion of the chain. {@code lambDicke} is its COM-mode Lamb-Dicke factor for the beams that
     * address it (b_i included); {@code repumpRatePerSecond} is Γ_eff (coolant ions only, else NaN).
     */
    public record Ion(String id, IonRole role, double lambDicke, double repumpRatePerSecond) {
    }

    /** What a channel does (docs/drive-formulas.md). */
    public enum ChannelRole {
        FORCE_RED("force-red"), FORCE_BLUE("force-blue"), CARRIER("carrier"), LOSS("loss"), GAIN("gain");

        private final String label;

        ChannelRole(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static ChannelRole parse(String s, String field) {
            for (ChannelRole r : values()) {
                if (r.label.equals(s)) {
                    return r;
                }
            }
            throw new TrapFileException(field, "unknown role \"" + s + "\" (force-red, force-blue, carrier, loss, gain)");
        }
    }

    /**
     * One DDS output (one laser tone after its AOM). The optical detuning Δ of the tone from the
     * ion's carrier transition is {@code (f_RF − carrierFrequency) · detuningPerHz}:
     * {@code carrierFrequency} is the RF frequency that puts the tone on the (Stark-shift
     * corrected) carrier, {@code detuningPerHz} is +1 for a +1st-order single pass, −1 for −1st order,
     * ±2 for a double pass. {@code phaseOffsetTurns} is the calibrated optical phase at the ion for
     * DDS phase 0.
     */
    public record Channel(String name, ChannelRole role, List<String> ions, CyclicFrequency carrierFrequency,
                          double detuningPerHz, double phaseOffsetTurns, CyclicFrequency minFrequency,
                          CyclicFrequency maxFrequency, double maxAmplitude, CyclicFrequency maxRabi,
                          Calibration calibration) {
        public Channel {
            ions = List.copyOf(ions);
        }
    }

    /**
     * DDS word sizes: frequency tuning word FTW = round(f/clock · 2^frequencyBits), amplitude scale
     * factor ASF = round(a · (2^amplitudeBits − 1)), phase offset word POW = round(φ · 2^phaseBits) mod
     * 2^phaseBits (AD9910: 1 GHz, 32, 14, 16).
     */
    public record Dds(double clockHz, int frequencyBits, int amplitudeBits, int phaseBits) {
        public static final Dds AD9910 = new Dds(1e9, 32, 14, 16);

        public long frequencyWord(CyclicFrequency f) {
            return Math.round(f.hz() / clockHz * Math.pow(2, frequencyBits));
        }

        public CyclicFrequency frequency(long ftw) {
            return CyclicFrequency.hz(ftw * clockHz / Math.pow(2, frequencyBits));
        }

        public long amplitudeWord(double a) {
            return Math.round(a * (Math.pow(2, amplitudeBits) - 1));
        }

        public double amplitude(long asf) {
            return asf / (Math.pow(2, amplitudeBits) - 1);
        }

        public long phaseWord(double turns) {
            double frac = turns - Math.floor(turns);
            long modulus = 1L << phaseBits;
            return Math.floorMod(Math.round(frac * modulus), modulus);
        }

        public double phase(long pow) {
            return pow / Math.pow(2, phaseBits);
        }

        public CyclicFrequency frequencyResolution() {
            return CyclicFrequency.hz(clockHz / Math.pow(2, frequencyBits));
        }
    }

    /**
     * Bounds of the "≪" conditions (physics.md §8), as the largest ratio accepted:
     * η√(2n̄+1) ≤ lambDicke; δ/ν, Ω_tone/ν, Ω_c/ν ≤ sidebandResolution;
     * η_eΩ_{r,b}√(n̄+1)/Γ_eff ≤ adiabaticElimination; Γ_eff/ν ≤ repumpVsTrap; relative change of
     * any model parameter through DDS quantisation ≤ quantisation.
     */
    public record ValidityBounds(double lambDicke, double sidebandResolution, double adiabaticElimination,
                                 double repumpVsTrap, double quantisation) {
        public static final ValidityBounds DEFAULT = new ValidityBounds(0.3, 0.1, 0.3, 0.1, 0.01);
    }

    public TrapSpec {
        ions = List.copyOf(ions);
        channels = List.copyOf(channels);
        checkConsistency(ions, channels);
    }

    public AngularFrequency nu() {
        return comModeFrequency.toAngular();
    }

    public List<Ion> spinIons() {
        List<Ion> out = new ArrayList<>();
        for (Ion ion : ions) {
            if (ion.role() == IonRole.SPIN) {
                out.add(ion);
            }
        }
        return out;
    }

    public Ion ion(String id) {
        for (Ion ion : ions) {
            if (ion.id().equals(id)) {
                return ion;
            }
        }
        throw new IllegalArgumentException("no ion " + id);
    }

    public Channel channel(String name) {
        for (Channel c : channels) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no channel " + name);
    }

    /** The channel of {@code role} addressing {@code ionId}, or null. */
    public Channel channelFor(ChannelRole role, String ionId) {
        for (Channel c : channels) {
            if (c.role() == role && c.ions().contains(ionId)) {
                return c;
            }
        }
        return null;
    }

    public List<Channel> channels(ChannelRole role) {
        List<Channel> out = new ArrayList<>();
        for (Channel c : channels) {
            if (c.role() == role) {
                out.add(c);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static void checkConsistency(List<Ion> ions, List<Channel> channels) {
        Map<String, Ion> byId = new HashMap<>();
        for (int i = 0; i < ions.size(); i++) {
            if (byId.put(ions.get(i).id(), ions.get(i)) != null) {
                throw new TrapFileException("ions[" + i + "].id", "duplicate ion id \"" + ions.get(i).id() + "\"");
            }
        }
        if (ions.stream().noneMatch(x -> x.role() == IonRole.SPIN)) {
            throw new TrapFileException("ions", "needs at least one spin ion");
        }
        Map<String, String> names = new HashMap<>();
        Map<String, Map<ChannelRole, String>> perIon = new HashMap<>();
        String lossIon = null;
        String gainIon = null;
        for (int c = 0; c < channels.size(); c++) {
            Channel ch = channels.get(c);
            String where = "channels[" + c + "]";
            if (names.put(ch.name(), where) != null) {
                throw new TrapFileException(where + ".name", "duplicate channel name \"" + ch.name() + "\"");
            }
            if (ch.ions().isEmpty()) {
                throw new TrapFileException(where + ".ions", "addresses no ion");
            }
            if (ch.role() != ChannelRole.CARRIER && ch.ions().size() != 1) {
                throw new TrapFileException(where + ".ions", "a " + ch.role().label()
                        + " channel addresses exactly one ion, got " + ch.ions());
            }
            for (String id : ch.ions()) {
                Ion ion = byId.get(id);
                if (ion == null) {
                    throw new TrapFileException(where + ".ions", "no ion \"" + id + "\" in the chain");
                }
                boolean coolantRole = ch.role() == ChannelRole.LOSS || ch.role() == ChannelRole.GAIN;
                if (coolantRole && ion.role() != IonRole.COOLANT) {
                    throw new TrapFileException(where + ".ions", ch.role().label() + " must address a coolant ion, \""
                            + id + "\" is a spin ion");
                }
                if (!coolantRole && ion.role() != IonRole.SPIN) {
                    throw new TrapFileException(where + ".ions", ch.role().label() + " must address spin ions, \""
                            + id + "\" is a coolant ion");
                }
                String prev = perIon.computeIfAbsent(id, k -> new HashMap<>()).put(ch.role(), ch.name());
                if (prev != null) {
                    throw new TrapFileException(where + ".ions", "ion \"" + id + "\" already has a " + ch.role().label()
                            + " channel (\"" + prev + "\")");
                }
            }
            if (ch.role() == ChannelRole.LOSS) {
                if (lossIon != null) {
                    throw new TrapFileException(where + ".role", "only one loss channel is supported");
                }
                lossIon = ch.ions().get(0);
            }
            if (ch.role() == ChannelRole.GAIN) {
                if (gainIon != null) {
                    throw new TrapFileException(where + ".role", "only one gain channel is supported");
                }
                gainIon = ch.ions().get(0);
            }
        }
        for (Ion ion : ions) {
            if (ion.role() != IonRole.SPIN) {
                continue;
            }
            Map<ChannelRole, String> roles = perIon.getOrDefault(ion.id(), Map.of());
            for (ChannelRole need : List.of(ChannelRole.FORCE_RED, ChannelRole.FORCE_BLUE, ChannelRole.CARRIER)) {
                if (!roles.containsKey(need)) {
                    throw new TrapFileException("channels", "spin ion \"" + ion.id() + "\" has no " + need.label()
                            + " channel");
                }
            }
        }
        if (lossIon == null) {
            throw new TrapFileException("channels", "no loss channel (red sideband on a coolant ion): gamma > kappa "
                    + "needs one");
        }
        if (lossIon.equals(gainIon)) {
            throw new TrapFileException("channels", "loss and gain act on the same coolant ion \"" + lossIon
                    + "\": red and blue sidebands on one repumped ion give one jump operator that squeezes the mode "
                    + "instead of independent loss and gain (physics.md §8); use two coolant ions");
        }
    }
}
