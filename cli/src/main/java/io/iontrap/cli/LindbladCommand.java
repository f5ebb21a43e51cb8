package io.iontrap.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.lindblad.BosonInit;
import io.iontrap.model.lindblad.LindbladEvolution;
import io.iontrap.model.lindblad.LindbladSolver;
import io.iontrap.model.lindblad.LindbladSteadyState;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "lindblad", mixinStandardHelpOptions = true,
        description = {"The full open-system model of Eqs. (1)-(2): N spins and one boson mode truncated at "
                + "Fock level nmax, with gain kappa and loss gamma.",
                "Time evolution (--times) or the steady state (--steady). Times in 1/(frequency unit); p indexed by "
                        + "configuration (bit i of the index is spin i, 1 meaning sigma_i = +1);",
                "bosonNumber = <a^dagger a>; truncation = population of the top Fock level (a warning is printed "
                        + "above 1e-4)."})
final class LindbladCommand implements Runnable {
    @Mixin
    ModelOptions model;

    @Option(names = "--times", split = ",", paramLabel = "t1,t2,...", description = "ascending output times >= 0")
    double[] times;
    @Option(names = "--steady", description = "compute the steady state instead of a time evolution")
    boolean steady;
    @Option(names = "--nmax", defaultValue = "0",
            description = "Fock cut-off (levels 0..nmax); 0 chooses it from the sectors' displacement and thermal occupation")
    int nmax;
    @Option(names = "--initial", paramLabel = "BITS",
            description = "initial configuration, N characters 0/1, character i = spin i, 1 = up (default all down)")
    String initial;
    @Option(names = "--boson", defaultValue = "vacuum", paramLabel = "vacuum|sector",
            description = "initial boson state: the vacuum, or the stationary (displaced thermal) state of the initial "
                    + "configuration's sector (default ${DEFAULT-VALUE})")
    String boson;
    @Option(names = "--atol", defaultValue = "1e-10", description = "absolute tolerance (default ${DEFAULT-VALUE})")
    double atol;
    @Option(names = "--rtol", defaultValue = "1e-8", description = "relative tolerance (default ${DEFAULT-VALUE})")
    double rtol;

    @Override
    public void run() {
        Parameters p = model.parameters();
        if (nmax < 0) {
            throw new InvalidParameterException("nmax", "must be >= 1, or 0 for automatic, got " + nmax);
        }
        if (steady == (times != null)) {
            throw new InvalidParameterException("times", "give either --times t1,t2,... or --steady");
        }
        ObjectNode out = Json.object();
        List<String> warnings;
        if (steady) {
            LindbladSteadyState s = LindbladSolver.steadyState(p, nmax, atol);
            Json.putArray(out, "p", s.populations());
            out.put("bosonNumber", s.bosonNumber()).put("meanEnergy", s.meanEnergy())
                    .put("truncation", s.truncation()).put("residual", s.residual()).put("nmax", s.nmax());
            warnings = s.warnings();
        } else {
            LindbladEvolution e = LindbladSolver.evolve(p, initial == null ? 0 : IsingLandscape.configuration(initial, p.size()),
                    bosonInit(), times, nmax, atol, rtol);
            Json.putArray(out, "times", e.times());
            ArrayNode rows = out.putArray("p");
            for (double[] row : e.populations()) {
                rows.add(Json.MAPPER.valueToTree(row));
            }
            Json.putArray(out, "bosonNumber", e.bosonNumber());
            Json.putArray(out, "meanEnergy", e.meanEnergy());
            double worst = 0;
            for (double t : e.truncation()) {
                worst = Math.max(worst, t);
            }
            out.put("truncation", worst).put("nmax", e.nmax());
            Json.putArray(out, "truncationPerTime", e.truncation());
            warnings = e.warnings();
        }
        Json.putUnits(out, model.file());
        out.set("warnings", Json.MAPPER.valueToTree(warnings));
        for (String w : warnings) {
            System.err.println("iontrap: warning: " + w);
        }
        if (model.json) {
            Json.print(out);
        } else {
            System.out.println(out.toPrettyString());
        }
    }

    private BosonInit bosonInit() {
        switch (boson) {
            case "vacuum":
                return BosonInit.VACUUM;
            case "sector":
                return BosonInit.SECTOR;
            default:
                throw new InvalidParameterException("boson", "must be vacuum or sector, got " + boson);
        }
    }
}
