package io.iontrap.hardware.drive;

import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.trap.TrapSpec.Channel;
import io.iontrap.hardware.trap.TrapSpec.ChannelRole;
import io.iontrap.hardware.trap.TrapSpec.Ion;
import io.iontrap.hardware.trap.TrapSpec.ValidityBounds;
import io.iontrap.hardware.units.AngularFrequency;
import io.iontrap.hardware.units.CyclicFrequency;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.Parameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model parameters (angular, in a {@link ModelUnit}) → per-channel drive settings, with every limit
 * and validity condition checked (physics.md §8, docs/drive-formulas.md). Conventions:
 * <ul>
 *   <li>force on spin ion i: red tone at optical detuning −ν + δ, blue tone at +ν − δ from the carrier
 *       (δ_r = δ, δ_b = −δ), δ = ω; each tone with carrier Rabi frequency Ω_i = 2|g_i|/η_i, so
 *       |g_i| = η_i Ω_i / 2; sign(g_i) &lt; 0 as optical phase ½ turn on both tones, else 0;</li>
 *   <li>σx drive: resonant carrier, Ω_c = 2Ω, optical phase ¼ turn (orthogonal to the force);</li>
 *   <li>loss: red sideband (−ν) on one coolant ion, Ω_r = √((γ − ṅ_h) Γ_eff)/η_e;
 *       gain: blue sideband (+ν) on a different coolant ion, Ω_b = √((κ − ṅ_h) Γ_eff)/η_e';
 *       the trap heating ṅ_h adds to both γ and κ;</li>
 *   <li>RF frequency f = f_carrier + Δ/(2π)/detuningPerHz; DDS phase = optical phase − phaseOffsetTurns.</li>
 * </ul>
 */
public final class DriveCompiler {
    private DriveCompiler() {
    }

    public static DrivePlan compile(TrapSpec trap, Parameters model, ModelUnit unit) {
        List<Ion> spins = trap.spinIons();
        if (model.size() != spins.size()) {
            throw new InvalidParameterException("g", "the model has " + model.size() + " couplings but trap \""
                    + trap.name() + "\" has " + spins.size() + " spin ions");
        }
        ValidityBounds vb = trap.validity();
        AngularFrequency nu = trap.nu();
        AngularFrequency omega = unit.toAngular(model.omega());
        AngularFrequency drive = unit.toAngular(model.drive());
        AngularFrequency kappa = unit.toAngular(model.kappa());
        AngularFrequency gamma = unit.toAngular(model.gamma());
        AngularFrequency heating = AngularFrequency.radPerSecond(trap.heatingRatePhononsPerSecond());

        List<LimitCheck> checks = new ArrayList<>();
        List<String> warnings = new ArrayList<>(model.validityWarnings());
        Map<String, Tone> tones = new LinkedHashMap<>();

        // Occupation of the mode in the model: n̄ = max_σ |α_σ|² + n_th.
        double sumAbsG = 0;
        for (int i = 0; i < model.size(); i++) {
            sumAbsG += Math.abs(model.g(i));
        }
        double etaModel = model.eta();
        double alpha2 = 4 * sumAbsG * sumAbsG / (model.omega() * model.omega() * (4 + etaModel * etaModel));
        double nth = model.kappa() / (model.gamma() - model.kappa());
        double nbar = alpha2 + nth;

        // Spin-dependent force.
        AngularFrequency delta = omega;
        checks.add(LimitCheck.atMost("trap", "validity.sidebandResolution", "detuning delta/nu (omega/nu)",
                delta.over(nu), vb.sidebandResolution(), ""));
        for (int i = 0; i < spins.size(); i++) {
            Ion ion = spins.get(i);
            double gi = model.g(i);
            AngularFrequency rabi = unit.toAngular(2 * Math.abs(gi) / ion.lambDicke());
            double phase = gi < 0 ? 0.5 : 0.0;
            boolean on = gi != 0;
            tones.put(trap.channelFor(ChannelRole.FORCE_RED, ion.id()).name(),
                    new Tone(trap.channelFor(ChannelRole.FORCE_RED, ion.id()), rabi, delta.minus(nu), phase, on));
            tones.put(trap.channelFor(ChannelRole.FORCE_BLUE, ion.id()).name(),
                    new Tone(trap.channelFor(ChannelRole.FORCE_BLUE, ion.id()), rabi, nu.minus(delta), phase, on));
            checks.add(LimitCheck.atMost("ion " + ion.id(), "validity.lambDicke",
                    "Lamb-Dicke eta*sqrt(2n+1) (n = " + fmt(nbar) + ")", ion.lambDicke() * Math.sqrt(2 * nbar + 1),
                    vb.lambDicke(), ""));
        }

        // Transverse drive: resonant carrier at ¼ turn.
        AngularFrequency carrierRabi = drive.times(2);
        for (Channel c : trap.channels(ChannelRole.CARRIER)) {
            tones.put(c.name(), new Tone(c, carrierRabi, AngularFrequency.ZERO, 0.25, model.drive() != 0));
        }

        // Loss and gain on coolant ions.
        AngularFrequency gammaLaser = gamma.minus(heating);
        AngularFrequency kappaLaser = kappa.minus(heating);
        checks.add(LimitCheck.atLeast("trap", "heatingRatePhononsPerSecond", "kappa (gain incl. heating)",
                kappa.radPerSecond(), heating.radPerSecond(), "1/s"));
        checks.add(LimitCheck.atLeast("trap", "heatingRatePhononsPerSecond", "gamma (loss incl. heating)",
                gamma.radPerSecond(), heating.radPerSecond(), "1/s"));
        Channel loss = trap.channels(ChannelRole.LOSS).get(0);
        addCoolant(trap, loss, Math.max(0, gammaLaser.radPerSecond()), nu.times(-1), tones, checks, nbar);
        List<Channel> gains = trap.channels(ChannelRole.GAIN);
        if (gains.isEmpty()) {
            checks.add(LimitCheck.atMost("trap", "gain channel", "kappa - heating (no gain channel in the trap)",
                    Math.max(0, kappaLaser.radPerSecond()), 0, "1/s"));
        } else {
            addCoolant(trap, gains.get(0), Math.max(0, kappaLaser.radPerSecond()), nu, tones, checks, nbar);
        }

        // Per-channel settings and hardware limits.
        List<DrivePlan.ChannelPlan> plans = new ArrayList<>();
        List<ChannelSetting> ideal = new ArrayList<>();
        List<ChannelSetting> quant = new ArrayList<>();
        for (Channel c : trap.channels()) {
            Tone t = tones.get(c.name());
            CyclicFrequency detuning = t.detuning.toCyclic();
            CyclicFrequency f = c.carrierFrequency().plus(detuning.times(1 / c.detuningPerHz()));
            CyclicFrequency rabiHz = t.rabi.toCyclic();
            double amplitude = 0;
            if (t.on) {
                checks.add(LimitCheck.atMost(c.name(), "maxRabiFrequencyHz", "Rabi frequency Omega/2pi",
                        rabiHz.hz(), c.maxRabi().hz(), "Hz"));
                checks.add(LimitCheck.atMost(c.name(), "calibration.rabiFrequencyHz (largest calibrated)",
                        "Rabi frequency Omega/2pi", rabiHz.hz(), c.calibration().maxRabi().hz(), "Hz"));
                checks.add(LimitCheck.atLeast(c.name(), "calibration.rabiFrequencyHz (smallest calibrated)",
                        "Rabi frequency Omega/2pi", rabiHz.hz(), c.calibration().minRabi().hz(), "Hz"));
                checks.add(LimitCheck.atMost(c.name(), "validity.sidebandResolution",
                        "off-resonant carrier Omega/nu", t.rabi.over(nu), vb.sidebandResolution(), ""));
                boolean calibrated = rabiHz.hz() >= c.calibration().minRabi().hz()
                        && rabiHz.hz() <= c.calibration().maxRabi().hz();
                amplitude = calibrated ? c.calibration().amplitudeFor(rabiHz) : Double.NaN;
            }
            double ddsPhase = t.on ? wrap(t.phase - c.phaseOffsetTurns()) : 0;
            ChannelSetting s = t.on && Double.isFinite(amplitude)
                    ? new ChannelSetting(c.name(), f, amplitude, ddsPhase, true)
                    : t.on ? new ChannelSetting(c.name(), f, Double.NaN, ddsPhase, true)
                    : ChannelSetting.off(c.name(), f);
            ideal.add(s);
            ChannelSetting.DdsWords w = Double.isFinite(s.amplitude()) ? s.words(trap.dds()) : null;
            ChannelSetting q = w == null ? s : w.setting(trap.dds());
            quant.add(q);
            checks.add(LimitCheck.atLeast(c.name(), "minFrequencyHz", "RF frequency", q.frequency().hz(),
                    c.minFrequency().hz(), "Hz"));
            checks.add(LimitCheck.atMost(c.name(), "maxFrequencyHz", "RF frequency", q.frequency().hz(),
                    c.maxFrequency().hz(), "Hz"));
            if (t.on && Double.isFinite(q.amplitude())) {
                checks.add(LimitCheck.atMost(c.name(), "maxAmplitude", "amplitude (after quantisation)",
                        q.amplitude(), c.maxAmplitude(), "of full scale"));
            }
            plans.add(new DrivePlan.ChannelPlan(c.name(), c.role(), c.ions(), rabiHz, detuning, s, q, w));
        }
        DriveSettings idealSettings = new DriveSettings(ideal);
        DriveSettings quantSettings = new DriveSettings(quant);
        boolean allKnown = quant.stream().allMatch(x -> Double.isFinite(x.amplitude()));
        if (allKnown) {
            checks.add(LimitCheck.atMost("trap", "maxTotalPower", "total RF power sum(a^2)", quantSettings.totalPower(),
                trap.maxTotalPower(), "full-scale channels"));
        }

        // What the quantised words really do.
        Parameters achieved = null;
        boolean decodable = allKnown
                && checks.stream().noneMatch(x -> x.violated() && x.limit().startsWith("calibration"));
        if (decodable) {
            try {
                DriveDecoder.Decoded d = DriveDecoder.decode(trap, quantSettings, unit);
                achieved = d.parameters();
                warnings.addAll(d.warnings());
                double floor = 1e-3 * model.omega();
                checks.add(quantisation("omega", model.omega(), achieved.omega(), floor, vb));
                if (model.drive() == 0) {
                    if (achieved.drive() != 0) {
                        warnings.add(String.format(java.util.Locale.ROOT, "Omega = 0 was asked for; DDS rounding of "
                                + "the force tones leaves a transverse field Omega = %.3g (%.2g omega)",
                                achieved.drive(), achieved.drive() / model.omega()));
                    }
                } else {
                    checks.add(quantisation("Omega", model.drive(), achieved.drive(), floor, vb));
                }
                checks.add(quantisation("kappa", model.kappa(), achieved.kappa(), floor, vb));
                checks.add(quantisation("gamma", model.gamma(), achieved.gamma(), floor, vb));
                for (int i = 0; i < model.size(); i++) {
                    checks.add(quantisation("g[" + i + "]", model.g(i), achieved.g(i), floor, vb));
                }
                if (d.omegaSpread() > 0) {
                    checks.add(LimitCheck.atMost("trap", "validity.quantisation", "spread of omega over ions (relative)",
                            d.omegaSpread() / omega.radPerSecond(), vb.quantisation(), ""));
                }
            } catch (IllegalArgumentException e) {
                warnings.add("the quantised settings cannot be decoded: " + e.getMessage());
            }
        }
        return new DrivePlan(trap, model, unit, plans, idealSettings, quantSettings, achieved, checks, warnings, nbar);
    }

    private static LimitCheck quantisation(String name, double want, double got, double floor, ValidityBounds vb) {
        double rel = Math.abs(got - want) / Math.max(Math.abs(want), floor);
        return LimitCheck.atMost("model " + name, "validity.quantisation",
                "relative change by DDS quantisation (" + fmt(want) + " -> " + fmt(got) + ")", rel, vb.quantisation(), "");
    }

    private static void addCoolant(TrapSpec trap, Channel c, double rate, AngularFrequency detuning,
                                   Map<String, Tone> tones, List<LimitCheck> checks, double nbar) {
        Ion ion = trap.ion(c.ions().get(0));
        double gammaEff = ion.repumpRatePerSecond();
        AngularFrequency rabi = AngularFrequency.radPerSecond(Math.sqrt(rate * gammaEff) / ion.lambDicke());
        tones.put(c.name(), new Tone(c, rabi, detuning, 0, rate > 0));
        ValidityBounds vb = trap.validity();
        if (rate > 0) {
            checks.add(LimitCheck.atMost(c.name(), "validity.adiabaticElimination",
                    "eta_e*Omega*sqrt(n+1)/Gamma_eff (n = " + fmt(nbar) + ")",
                    ion.lambDicke() * rabi.radPerSecond() * Math.sqrt(nbar + 1) / gammaEff,
                    vb.adiabaticElimination(), ""));
            checks.add(LimitCheck.atMost("ion " + ion.id(), "validity.repumpVsTrap", "Gamma_eff/nu",
                    gammaEff / trap.nu().radPerSecond(), vb.repumpVsTrap(), ""));
            checks.add(LimitCheck.atMost("ion " + ion.id(), "validity.lambDicke",
                    "Lamb-Dicke eta*sqrt(2n+1) (n = " + fmt(nbar) + ")", ion.lambDicke() * Math.sqrt(2 * nbar + 1),
                    vb.lambDicke(), ""));
        }
    }

    private static double wrap(double turns) {
        double w = turns - Math.floor(turns);
        return w >= 1 ? 0 : w;
    }

    private static String fmt(double x) {
        return String.format(java.util.Locale.ROOT, "%.4g", x);
    }

    /** One tone: wanted carrier Rabi frequency, optical detuning from the carrier, optical phase. */
    private record Tone(Channel channel, AngularFrequency rabi, AngularFrequency detuning, double phase, boolean on) {
    }
}
