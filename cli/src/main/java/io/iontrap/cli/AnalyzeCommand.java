package io.iontrap.cli;

import io.iontrap.analysis.Analysis;
import io.iontrap.analysis.fit.FitSpec;
import io.iontrap.model.Parameters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;


@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyse measured shots (an HDF5 run file, docs/run-file.md, or a CSV t,shot,state) against the "
                + "effective model: populations with intervals, maximum-likelihood fits, beta_eff, detailed balance.",
                "Writes DIR/summary.json, DIR/report.html and PNG plots. Fitted frequencies are in the model's "
                        + "angular-frequency unit, beta_eff in its inverse square; hold times in its inverse."})
final class AnalyzeCommand implements Runnable {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "RUN_FILE_OR_CSV", description = "HDF5 run file (.h5) or CSV shot file")
    Path input;
    @Option(names = "--model", paramLabel = "FILE",
            description = "model file with the nominal parameters (required for CSV; overrides the run file's /model)")
    Path model;
    @Option(names = "--fit", paramLabel = "LIST", defaultValue = "Omega,eta",
            description = "parameters to fit, from Omega, eta, spam (detection errors) (default ${DEFAULT-VALUE})")
    String fit;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder for the report")
    Path out;
    @Option(names = "--json", description = "print the summary as one JSON object")
    boolean json;

    @Override
    public void run() {
        Parameters nominal = model == null ? null : ModelFile.read(model).parameters();
        Map<String, Object> summary;
        try {
            summary = Analysis.run(input, nominal, FitSpec.parse(fit), out);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot analyse " + input + ": " + e.getMessage());
        }
        if (json) {
            Json.print(Json.MAPPER.valueToTree(summary));
        } else {
            System.out.println("wrote " + out.resolve(Analysis.SUMMARY) + " and " + out.resolve(Analysis.REPORT));
        }
    }
}
