package io.iontrap.hardware.drive;

import java.util.List;

/** A plan that violates limits; the message lists every violation, one per line. */
public final class PlanRefusedException extends IllegalArgumentException {
    private final List<LimitCheck> violations;

    public PlanRefusedException(List<LimitCheck> violations) {
        super(format(violations));
        this.violations = List.copyOf(violations);
    }

    public List<LimitCheck> violations() {
        return violations;
    }

    static String format(List<LimitCheck> violations) {
        StringBuilder sb = new StringBuilder("plan refused, " + violations.size() + " limit"
                + (violations.size() == 1 ? "" : "s") + " violated:");
        for (LimitCheck v : violations) {
            sb.append("\n  ").append(v.message());
        }
        return sb.toString();
    }
}
