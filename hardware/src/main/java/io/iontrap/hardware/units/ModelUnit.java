package io.iontrap.hardware.units;

import java.util.Locale;

/**
 * The angular-frequency unit of a model file (docs/units.md): how many rad/s one model unit is.
 * Rates of the master equation (γ, κ) use the same unit as 1/s-rates: a model κ of 1 in
 * 2π×kHz is 2π×10³ s⁻¹.
 */
public record ModelUnit(String label, double radPerSecond) {
    public static final ModelUnit TWO_PI_KHZ = new ModelUnit("2pi*kHz", AngularFrequency.TWO_PI * 1e3);

    /**
     * Parses a unit label: {@code 2pi*kHz} (also {@code 2pi x kHz}, {@code 2π×kHz}), {@code 2pi*Hz},
     * {@code 2pi*MHz}, {@code rad/s}, {@code krad/s}. Dimensionless labels ({@code omega}) are refused:
     * such a model has no lab scale (use the fastest feasible scale instead).
     */
    public static ModelUnit parse(String label) {
        if (label == null) {
            throw new IllegalArgumentException("units: the model file gives no unit; a lab plan needs one "
                    + "(e.g. \"units\": \"2pi*kHz\"), or ask for the fastest feasible scale");
        }
        String s = label.trim().toLowerCase(Locale.ROOT).replace("π", "pi").replace("×", "*")
                .replace(" x ", "*").replace(" ", "");
        switch (s) {
            case "2pi*khz":
            case "2pikhz":
                return new ModelUnit(label, AngularFrequency.TWO_PI * 1e3);
            case "2pi*hz":
            case "2pihz":
                return new ModelUnit(label, AngularFrequency.TWO_PI);
            case "2pi*mhz":
            case "2pimhz":
                return new ModelUnit(label, AngularFrequency.TWO_PI * 1e6);
            case "rad/s":
            case "1/s":
                return new ModelUnit(label, 1.0);
            case "krad/s":
                return new ModelUnit(label, 1e3);
            default:
                throw new IllegalArgumentException("units: \"" + label + "\" is not a lab unit of angular frequency "
                        + "(accepted: 2pi*kHz, 2pi*Hz, 2pi*MHz, rad/s, krad/s)");
        }
    }

    public AngularFrequency toAngular(double modelValue) {
        return new AngularFrequency(modelValue * radPerSecond);
    }

    public double toModel(AngularFrequency f) {
        return f.radPerSecond() / radPerSecond;
    }
}
