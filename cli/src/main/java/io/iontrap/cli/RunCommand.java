package io.iontrap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.analysis.data.InputFormatException;
import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.data.RunFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Plan, run, record and analyse an experiment file (docs/experiment-file.md): compile and "
                + "check every scan point (a refused plan stops here, exit 2, every violation listed, nothing sent), "
                + "connect, identify the device and check its limits, configure, run the schedule with a progress line "
                + "on stderr, record every shot as it arrives (OUT/run-K.journal, OUT/run-K.h5), then analyse "
                + "(OUT/analysis/).",
                "Hold times are in model time units (1/model frequency unit) and go to the device in seconds.",
                "Ctrl-C aborts the device first and keeps every shot so far (run file marked incomplete, exit 130); a "
                        + "lost link or a device error does the same (exit 3). --resume RUN_FILE completes it.",
                "MQTT secrets come only from a file or the environment, never from the command line."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT", description = "experiment file (JSON)")
    Path experiment;
    @Option(names = "--dry-run", description = "print the compiled plan of every scan point and every message that "
            + "would be sent; connect to nothing, send nothing")
    boolean dryRun;
    @Option(names = "--resume", paramLabel = "RUN_FILE", description = "complete the interrupted experiment this run "
            + "file belongs to (its folder is the output folder); finished points are not repeated")
    Path resume;
    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: the experiment's \"output\")")
    Path outDir;
    @Option(names = "--no-analysis", description = "record only; analyse later with iontrap analyze")
    boolean noAnalysis;
    @Option(names = "--json", description = "print one JSON object (the dry-run plan, or the run's summary)")
    boolean json;
    @Mixin
    MqttOptions mqtt;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (experiment == null && resume == null) {
            throw new IllegalArgumentException("give an EXPERIMENT file, or --resume RUN_FILE");
        }
        ExperimentFile exp;
        Path folder;
        if (resume != null) {
            RunData cp;
            try {
                cp = RunFile.read(resume, new ArrayList<>());
            } catch (InputFormatException e) {
                throw new IllegalArgumentException("--resume: " + e.getMessage() + "; nothing was run");
            }
            String text = cp.provenance().get("experiment");
            if (text == null) {
                throw new IllegalArgumentException("--resume: run file " + resume + " was not written by iontrap run "
                        + "(no /provenance experiment): nothing to resume");
            }
            folder = resume.toAbsolutePath().getParent();
            exp = ExperimentFile.parse(text, folder, null);
            if (experiment != null) {
                ExperimentFile given = ExperimentFile.read(experiment);
                if (!given.name().equals(exp.name())) {
                    throw new IllegalArgumentException("--resume: " + resume + " belongs to experiment \"" + exp.name()
                            + "\", not \"" + given.name() + "\" (" + experiment + ")");
                }
            }
        } else {
            exp = ExperimentFile.read(experiment);
            folder = outDir != null ? outDir : exp.output();
        }
        ExperimentRunner runner = new ExperimentRunner(exp, folder, err, mqtt::config);
        List<String> violations = runner.plan();
        if (!violations.isEmpty()) {
            err.println("iontrap: plan refused: " + violations.size() + " limit" + (violations.size() == 1 ? "" : "s")
                    + " violated, nothing was sent:");
            violations.forEach(v -> err.println("  " + v));
            err.flush();
            return 2;
        }
        if (dryRun) {
            ObjectNode d = runner.dryRun();
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(d));
            } else {
                printDryRun(out, d);
            }
            out.flush();
            return 0;
        }
        int status;
        try {
            status = runner.execute(resume != null);
        } catch (ExperimentRunner.DeviceUnreachable e) {
            err.println("iontrap run: " + e.getMessage());
            err.flush();
            return ExperimentRunner.INCOMPLETE;
        } catch (InputFormatException e) {
            throw new IllegalArgumentException("--resume: " + e.getMessage() + "; nothing more was run");
        }
        if (status == 0 && !noAnalysis) {
            Map<String, Object> s = runner.analyse();
            runner.summary.set("analysis", Json.MAPPER.valueToTree(s));
            err.println("iontrap run: report " + runner.summary.get("report").asText());
        }
        runner.summary.put("output", folder.toString());
        if (json) {
            out.println(Json.MAPPER.writeValueAsString(runner.summary));
        } else if (status == 0) {
            out.println("wrote " + folder + (noAnalysis ? "" : "; report " + runner.summary.get("report").asText()));
        }
        out.flush();
        err.flush();
        return status;
    }

    private static void printDryRun(PrintWriter out, ObjectNode d) {
        out.println("DRY RUN: nothing is sent. Device " + d.get("device").asText() + ", output " + d.get("output").asText());
        for (var p : d.get("points")) {
            var plan = p.get("plan");
            out.printf(java.util.Locale.ROOT, "point %d (%s): lab scale %.6g, lab units %s, hold times %s model units = %s s%n",
                    p.get("index").asInt(), p.get("scan").asText(), p.get("labScale").asDouble(),
                    p.get("labUnits").asText(), p.get("holdTimesModel"), p.get("holdTimesSeconds"));
            out.println("  model (lab units): " + plan.get("model"));
            out.println("  realised after quantisation: " + plan.get("achievedModel"));
            for (var c : plan.get("channels")) {
                out.printf(java.util.Locale.ROOT, "  %-16s %-10s %-3s RF %.3f Hz, amplitude %.6f, phase %.4f turns%n",
                        c.get("channel").asText(), c.get("role").asText(), c.get("on").asBoolean() ? "on" : "off",
                        c.get("frequencyHz").asDouble(), c.get("amplitude").asDouble(), c.get("phaseTurns").asDouble());
            }
            out.println("  " + plan.get("checks").size() + " checks hold; warnings: " + plan.get("warnings"));
        }
        out.println("would send, in order:");
        for (var m : d.get("wouldSend")) {
            out.println("  " + m.asText());
        }
    }
}
