package io.iontrap.cli;

import io.iontrap.model.InvalidParameterException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code iontrap} command. Every subcommand prints one JSON object with {@code --json}. */
@Command(name = "iontrap", mixinStandardHelpOptions = true, version = "iontrap 0.1.0",
        description = {"Configure, dry-run and analyse trapped-ion experiments on a disordered, "
                + "dissipative spin-boson system.",
                "All model frequencies (omega, Omega, kappa, gamma, g) share one unit of angular "
                + "frequency (in the lab 2pi x kHz); times are in its inverse; energies E, dE in its square."},
        subcommands = {RateCommand.class, SteadyCommand.class, EvolveCommand.class,
                KolmogorovCommand.class, BetaEffCommand.class, LindbladCommand.class, PlanCommand.class, RunCommand.class, AnalyzeCommand.class, DemoCommand.class,
                BenchCommand.class, SimDeviceCommand.class})
public final class IonTrap {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new IonTrap());
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            line.getErr().println("iontrap: error: " + message);
            line.getErr().flush();
            return ex instanceof InvalidParameterException || ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl;
    }
}
