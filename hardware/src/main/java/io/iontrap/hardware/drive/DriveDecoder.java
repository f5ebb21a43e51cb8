package io.iontrap.hardware.drive;

import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.trap.TrapSpec.Channel;
import io.iontrap.hardware.trap.TrapSpec.ChannelRole;
import io.iontrap.hardware.trap.TrapSpec.Ion;
import io.iontrap.hardware.units.AngularFrequency;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.Parameters;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact inverse of {@link DriveCompiler}: drive settings → the model parameters they realise
 * (docs/drive-formulas.md). Per spin ion i with red/blue force tones (carrier Rabi Ω_r,i, Ω_b,i,
 * optical phases φ_r, φ_b, detunings δ_r from the red and δ_b from the blue sideband):
 * <pre>
 *   g_i = η_i (Ω_r,i cos 2πφ_r + Ω_b,i cos 2πφ_b) / 4
 *   ω_i = (δ_r − δ_b)/2,   Ω_asym,i = −(δ_r + δ_b)/4
 *   Ω_i = sqrt( (Ω_c sin(2πφ_c) / 2)² + Ω_asym,i² )
 *   γ = η_e² Ω_loss² / Γ_eff + ṅ_h,   κ = η_e'² Ω_gain² / Γ_eff' + ṅ_h
 * </pre>
 * ω and Ω of the model are the means over ions; their spreads are reported (one mode, one drive).
 * The simulated device uses this to know what model its lasers implement.
 */
public final class DriveDecoder {
    private DriveDecoder() {
    }

    /** The decoded model and how uniform ω and Ω are across ions. */
    public record Decoded(Parameters parameters, double omegaSpread, double driveSpread, List<String> warnings) {
    }

    public static Decoded decode(TrapSpec trap, DriveSettings settings, ModelUnit unit) {
        AngularFrequency nu = trap.nu();
        List<Ion> spins = trap.spinIons();
        double[] g = new double[spins.size()];
        List<Double> omegas = new ArrayList<>();
        List<Double> asym = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < spins.size(); i++) {
            Ion ion = spins.get(i);
            Channel red = trap.channelFor(ChannelRole.FORCE_RED, ion.id());
            Channel blue = trap.channelFor(ChannelRole.FORCE_BLUE, ion.id());
            ChannelSetting sr = require(settings, red);
            ChannelSetting sb = require(settings, blue);
            if (!sr.on() && !sb.on()) {
                g[i] = 0;
                continue;
            }
            if (sr.on() != sb.on()) {
                warnings.add("ion " + ion.id() + ": only one force tone is on: that is a Jaynes-Cummings (or anti-JC) "
                        + "coupling, not the sigma_z (a + a+) force of the model");
            }
            double rabiR = sr.on() ? rabi(red, sr).radPerSecond() : 0;
            double rabiB = sb.on() ? rabi(blue, sb).radPerSecond() : 0;
            double phR = opticalPhase(red, sr);
            double phB = opticalPhase(blue, sb);
            g[i] = ion.lambDicke() * (rabiR * Math.cos(2 * Math.PI * phR) + rabiB * Math.cos(2 * Math.PI * phB)) / 4;
            double deltaR = opticalDetuning(red, sr).radPerSecond() + nu.radPerSecond();
            double deltaB = opticalDetuning(blue, sb).radPerSecond() - nu.radPerSecond();
            omegas.add((deltaR - deltaB) / 2);
            asym.add(-(deltaR + deltaB) / 4);
        }
        if (omegas.isEmpty()) {
            throw new IllegalArgumentException("no force tone is on: the settings define no boson frequency omega");
        }
        double omega = mean(omegas);
        double[] drives = new double[asym.size()];
        int k = 0;
        for (int i = 0; i < spins.size(); i++) {
            Ion ion = spins.get(i);
            ChannelSetting sr = settings.get(trap.channelFor(ChannelRole.FORCE_RED, ion.id()).name());
            ChannelSetting sb = settings.get(trap.channelFor(ChannelRole.FORCE_BLUE, ion.id()).name());
            if (!sr.on() && !sb.on()) {
                continue;
            }
            Channel carrier = trap.channelFor(ChannelRole.CARRIER, ion.id());
            ChannelSetting sc = require(settings, carrier);
            double transverse = 0;
            if (sc.on()) {
                transverse = rabi(carrier, sc).radPerSecond() * Math.sin(2 * Math.PI * opticalPhase(carrier, sc)) / 2;
            }
            double a = asym.get(k);
            drives[k++] = transverse == 0 ? Math.abs(a) : a == 0 ? Math.abs(transverse) : Math.hypot(transverse, a);
        }
        double drive = mean(drives);
        double heating = trap.heatingRatePhononsPerSecond();
        double gamma = heating + coolantRate(trap, settings, ChannelRole.LOSS);
        double kappa = heating + coolantRate(trap, settings, ChannelRole.GAIN);
        double scale = unit.radPerSecond();
        double[] gm = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            gm[i] = g[i] / scale;
        }
        Parameters p = Parameters.of(omega / scale, drive / scale, kappa / scale, gamma / scale, gm);
        return new Decoded(p, spread(omegas, omega), spread(drives, drive), warnings);
    }

    private static double coolantRate(TrapSpec trap, DriveSettings settings, ChannelRole role) {
        double rate = 0;
        for (Channel c : trap.channels(role)) {
            ChannelSetting s = require(settings, c);
            if (s.on()) {
                Ion ion = trap.ion(c.ions().get(0));
                double r = rabi(c, s).radPerSecond();
                rate += ion.lambDicke() * ion.lambDicke() * r * r / ion.repumpRatePerSecond();
            }
        }
        return rate;
    }

    /** Optical detuning of a tone from the carrier, Δ = (f − f_carrier)·detuningPerHz, as 2π×Hz. */
    public static AngularFrequency opticalDetuning(Channel c, ChannelSetting s) {
        return s.frequency().minus(c.carrierFrequency()).times(c.detuningPerHz()).toAngular();
    }

    /** Optical phase at the ion in turns: DDS phase + the channel's calibrated offset. */
    public static double opticalPhase(Channel c, ChannelSetting s) {
        return s.phaseTurns() + c.phaseOffsetTurns();
    }

    static AngularFrequency rabi(Channel c, ChannelSetting s) {
        try {
            return c.calibration().rabi(s.amplitude()).toAngular();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel " + c.name() + ": " + e.getMessage());
        }
    }

    private static ChannelSetting require(DriveSettings settings, Channel c) {
        ChannelSetting s = settings.get(c.name());
        if (s == null) {
            throw new IllegalArgumentException("channel " + c.name() + " has no setting");
        }
        return s;
    }

    private static double mean(List<Double> xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.size();
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    private static double spread(List<Double> xs, double mean) {
        double m = 0;
        for (double x : xs) {
            m = Math.max(m, Math.abs(x - mean));
        }
        return m;
    }

    private static double spread(double[] xs, double mean) {
        double m = 0;
        for (double x : xs) {
            m = Math.max(m, Math.abs(x - mean));
        }
        return m;
    }
}
