package io.iontrap.cli;

import io.iontrap.model.Parameters;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that read a model file. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "model file (JSON, docs/model-file.md): omega, Omega, kappa, gamma|eta, g; "
                    + "angular frequencies in one unit")
    Path model;

    @Option(names = "--json", description = "print one JSON object on stdout")
    boolean json;

    private ModelFile file;

    ModelFile file() {
        if (file == null) {
            file = ModelFile.read(model);
            for (String w : file.parameters().validityWarnings()) {
                System.err.println("iontrap: warning: " + w);
            }
        }
        return file;
    }

    Parameters parameters() {
        return file().parameters();
    }
}
