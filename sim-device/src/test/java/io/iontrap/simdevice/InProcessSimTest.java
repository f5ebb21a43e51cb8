package io.iontrap.simdevice;

import io.iontrap.hardware.transport.InProcessLink;
import io.iontrap.hardware.transport.Link;

/** The link scenarios on the in-process link (the embedded default of dry runs). */
class InProcessSimTest extends SimLinkScenarios {
    @Override
    protected Link[] links() {
        return InProcessLink.pair();
    }

    @Override
    protected String name() {
        return "in-process";
    }
}
