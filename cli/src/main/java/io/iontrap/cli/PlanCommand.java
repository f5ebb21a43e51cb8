package io.iontrap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.hardware.drive.DriveCompiler;
import io.iontrap.hardware.drive.DrivePlan;
import io.iontrap.hardware.drive.Feasibility;
import io.iontrap.hardware.drive.LimitCheck;
import io.iontrap.hardware.trap.TrapFile;
import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.Parameters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Compile a model into laser-drive settings for a trap (docs/drive-formulas.md), check every "
                + "hardware limit and validity condition, and report the fastest feasible time scale.",
                "Model frequencies are angular in the model file's unit (e.g. \"units\": \"2pi*kHz\"); drive settings "
                        + "are RF frequency in cyclic Hz, amplitude as a fraction of full scale, phase in turns.",
                "Exit status 2, with every violated limit on stderr, when the plan is refused."})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--model", required = true, description = "model file (docs/model-file.md)")
    Path model;
    @Option(names = "--trap", required = true, description = "trap file (docs/trap-file.md)")
    Path trap;
    @Option(names = "--units", description = "unit of the model's frequencies when the file gives none or a "
            + "dimensionless one: 2pi*kHz, 2pi*Hz, 2pi*MHz, rad/s")
    String units;
    @Option(names = "--fastest", description = "compile the model scaled to the fastest feasible time scale "
            + "(all frequencies times the largest factor that keeps every limit)")
    boolean fastest;
    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
        ModelFile mf = ModelFile.read(model);
        TrapSpec t = TrapFile.read(trap);
        ModelUnit unit = unit(mf.units());
        Parameters p = mf.parameters();
        Feasibility.Result best = Feasibility.fastest(t, p, unit);
        Parameters compiled = p;
        if (fastest) {
            if (!best.feasible()) {
                return refuse(DriveCompiler.compile(t, p, unit), best, unit, "no time scale is feasible");
            }
            compiled = best.scaled();
        }
        DrivePlan plan = DriveCompiler.compile(t, compiled, unit);
        if (json) {
            PrintWriter out = spec.commandLine().getOut();
            try {
                out.println(Json.MAPPER.writeValueAsString(toJson(plan, best, unit, fastest ? best.scale() : 1.0)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise output", e);
            }
            out.flush();
        } else {
            printText(plan, best, unit);
        }
        if (plan.refused()) {
            return refuse(plan, best, unit, null);
        }
        return 0;
    }

    private ModelUnit unit(String fileUnits) {
        if (units != null) {
            return ModelUnit.parse(units);
        }
        if (fileUnits == null || fileUnits.equalsIgnoreCase("omega") || fileUnits.isBlank()) {
            if (fastest) {
                return ModelUnit.TWO_PI_KHZ;
            }
            throw new IllegalArgumentException("units: model file " + model + " gives no lab unit ("
                    + (fileUnits == null ? "none" : "\"" + fileUnits + "\"") + "); pass --units 2pi*kHz, "
                    + "or --fastest to map it to the fastest feasible scale");
        }
        return ModelUnit.parse(fileUnits);
    }

    private int refuse(DrivePlan plan, Feasibility.Result best, ModelUnit unit, String why) {
        PrintWriter err = spec.commandLine().getErr();
        List<LimitCheck> v = plan.violations();
        err.println("iontrap: plan refused" + (why == null ? "" : " (" + why + ")") + ": " + v.size() + " limit"
                + (v.size() == 1 ? "" : "s") + " violated, nothing would be sent:");
        for (LimitCheck c : v) {
            err.println("  " + c.message());
        }
        if (best.feasible()) {
            err.printf(Locale.ROOT, "iontrap: the fastest feasible scale is %.6g x these frequencies (omega = %.6g "
                    + "in %s); use --fastest%n", best.scale(), best.scaled().omega(), unit.label());
        }
        err.flush();
        return 2;
    }

    static ObjectNode toJson(DrivePlan plan, Feasibility.Result best, ModelUnit unit, double appliedScale) {
        ObjectNode o = Json.object();
        o.put("trap", plan.trap().name());
        o.put("refused", plan.refused());
        o.put("scaleApplied", appliedScale);
        o.set("model", model(plan.model(), unit));
        if (plan.achieved() != null) {
            o.set("achievedModel", model(plan.achieved(), unit));
        }
        o.put("occupation", plan.occupation());
        ObjectNode f = o.putObject("fastest");
        f.put("feasible", best.feasible());
        if (best.feasible()) {
            f.put("scale", best.scale());
            f.put("minimumScale", best.minimum());
            f.set("model", model(best.scaled(), unit));
            ArrayNode b = f.putArray("bindingLimits");
            best.binding().forEach(c -> b.add(c.message()));
        }
        ArrayNode ch = o.putArray("channels");
        for (DrivePlan.ChannelPlan c : plan.channels()) {
            ObjectNode x = ch.addObject();
            x.put("channel", c.channel());
            x.put("role", c.role().label());
            ArrayNode ions = x.putArray("ions");
            c.ions().forEach(ions::add);
            x.put("on", c.quantised().on());
            x.put("rabiFrequencyHz", c.rabi().hz());
            x.put("opticalDetuningHz", c.opticalDetuning().hz());
            x.put("frequencyHz", c.quantised().frequency().hz());
            x.put("amplitude", c.quantised().amplitude());
            x.put("phaseTurns", c.quantised().phaseTurns());
            if (c.words() != null) {
                ObjectNode w = x.putObject("ddsWords");
                w.put("ftw", c.words().ftw());
                w.put("asf", c.words().asf());
                w.put("pow", c.words().pow());
            }
        }
        ArrayNode checks = o.putArray("checks");
        for (LimitCheck c : plan.checks()) {
            ObjectNode x = checks.addObject();
            x.put("where", c.where());
            x.put("limit", c.limit());
            x.put("quantity", c.quantity());
            x.put("value", c.value());
            x.put("bound", c.bound());
            x.put("unit", c.unit());
            x.put("kind", c.kind() == LimitCheck.Kind.AT_MOST ? "at most" : "at least");
            x.put("ok", !c.violated());
        }
        ArrayNode v = o.putArray("violations");
        plan.violations().forEach(c -> v.add(c.message()));
        ArrayNode w = o.putArray("warnings");
        plan.warnings().forEach(w::add);
        return o;
    }

    private static ObjectNode model(Parameters p, ModelUnit unit) {
        ObjectNode m = Json.object();
        m.put("units", unit.label());
        m.put("omega", p.omega());
        m.put("Omega", p.drive());
        m.put("kappa", p.kappa());
        m.put("gamma", p.gamma());
        ArrayNode g = m.putArray("g");
        for (double x : p.g()) {
            g.add(x);
        }
        return m;
    }

    private void printText(DrivePlan plan, Feasibility.Result best, ModelUnit unit) {
        PrintWriter out = spec.commandLine().getOut();
        Parameters p = plan.model();
        out.printf(Locale.ROOT, "trap %s; model in %s: omega=%.6g Omega=%.6g kappa=%.6g gamma=%.6g, %d spins%n",
                plan.trap().name(), unit.label(), p.omega(), p.drive(), p.kappa(), p.gamma(), p.size());
        out.printf(Locale.ROOT, "mode occupation n = |alpha|^2 + n_th = %.4g%n", plan.occupation());
        out.printf(Locale.ROOT, "%-16s %-10s %4s %14s %16s %9s %7s%n", "channel", "role", "on", "Rabi/2pi (Hz)",
                "RF (Hz)", "amplitude", "phase");
        for (DrivePlan.ChannelPlan c : plan.channels()) {
            out.printf(Locale.ROOT, "%-16s %-10s %4s %14.6g %16.3f %9.6f %7.4f%n", c.channel(), c.role().label(),
                    c.quantised().on() ? "on" : "off", c.rabi().hz(), c.quantised().frequency().hz(),
                    c.quantised().amplitude(), c.quantised().phaseTurns());
        }
        if (plan.achieved() != null) {
            Parameters a = plan.achieved();
            out.printf(Locale.ROOT, "realised after DDS quantisation: omega=%.9g Omega=%.9g kappa=%.9g gamma=%.9g%n",
                    a.omega(), a.drive(), a.kappa(), a.gamma());
        }
        if (best.feasible()) {
            out.printf(Locale.ROOT, "fastest feasible scale: %.6g x (omega = %.6g %s); bound by: %s%n", best.scale(),
                    best.scaled().omega(), unit.label(),
                    best.binding().isEmpty() ? "nothing up to 1e6" : best.binding().get(0).message());
        } else {
            out.println("no time scale between 1e-6 and 1e6 x is feasible on this trap");
        }
        for (String w : plan.warnings()) {
            out.println("warning: " + w);
        }
        out.println(plan.refused() ? "REFUSED: " + plan.violations().size() + " limit(s) violated (see stderr)"
                : "OK: every limit holds (" + plan.checks().size() + " checks)");
        out.flush();
    }
}
