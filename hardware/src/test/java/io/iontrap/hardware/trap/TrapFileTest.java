package io.iontrap.hardware.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iontrap.hardware.TrapFixtures;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TrapFileTest {
    static TrapFileException refused(Consumer<ObjectNode> edit) {
        String text = TrapFixtures.editedText(edit);
        return assertThrows(TrapFileException.class, () -> TrapFile.parse(text));
    }

    static ObjectNode ch(ObjectNode t, int i) {
        return (ObjectNode) t.withArray("channels").get(i);
    }

    @Test
    void exampleParses() {
        TrapSpec t = TrapFixtures.example();
        assertEquals("ca40-linear-6ion", t.name());
        assertEquals(4, t.spinIons().size());
        assertEquals(11, t.channels().size());
        assertEquals(2e6, t.comModeFrequency().hz());
        assertEquals(TrapSpec.Dds.AD9910, t.dds());
    }

    @Test
    void fieldNamedErrors() {
        assertEquals("comModeFrequencyHz", refused(t -> t.remove("comModeFrequencyHz")).field());
        assertEquals("comModeFrequencyHz", refused(t -> t.put("comModeFrequencyHz", -2e6)).field());
        assertEquals("ionMassAmu", refused(t -> t.put("ionMassAmu", "forty")).field());
        assertEquals("tempreature", refused(t -> t.put("tempreature", 4)).field());
        assertEquals("channels[3].maxAmplitude", refused(t -> ch(t, 3).put("maxAmplitude", 1.5)).field());
        assertEquals("channels[0].role", refused(t -> ch(t, 0).put("role", "force")).field());
        assertEquals("channels[1].maxFrequencyHz", refused(t -> ch(t, 1).put("maxFrequencyHz", 60e6)).field());
        assertEquals("ions[2].role", refused(t -> ((ObjectNode) t.withArray("ions").get(2)).put("role", "qubit")).field());
        assertEquals("ions[0].repumpRatePerSecond",
                refused(t -> ((ObjectNode) t.withArray("ions").get(0)).remove("repumpRatePerSecond")).field());
        assertEquals("beams.geometry", refused(t -> ((ObjectNode) t.get("beams")).put("geometry", "raman-45")).field());
        assertEquals("dds.amplitudeBits", refused(t -> ((ObjectNode) t.get("dds")).put("amplitudeBits", 14.5)).field());
        assertEquals("channels[2].calibration.rabiFrequencyHz[4]", refused(t ->
                ((com.fasterxml.jackson.databind.node.ArrayNode) ch(t, 2).get("calibration").get("rabiFrequencyHz"))
                        .set(4, 1.0)).field());
        assertTrue(refused(t -> t.put("maxTotalPower", Double.NaN)).getMessage().startsWith("maxTotalPower"));
    }

    @Test
    void chainStructure() {
        // loss and gain on the same coolant ion squeeze the mode instead (physics.md §8)
        TrapFileException e = refused(t -> ch(t, 10).putArray("ions").add("c0"));
        assertTrue(e.getMessage().contains("same coolant ion"), e.getMessage());
        e = refused(t -> ch(t, 0).putArray("ions").add("c1"));
        assertTrue(e.getMessage().contains("is a coolant ion"), e.getMessage());
        e = refused(t -> ch(t, 9).putArray("ions").add("s0"));
        assertTrue(e.getMessage().contains("coolant"), e.getMessage());
        e = refused(t -> ch(t, 0).putArray("ions").add("s9"));
        assertEquals("channels[0].ions", e.field());
        e = refused(t -> t.withArray("channels").remove(1));
        assertTrue(e.getMessage().contains("has no force-blue channel"), e.getMessage());
        e = refused(t -> ch(t, 1).put("name", "force-red-s0"));
        assertEquals("channels[1].name", e.field());
    }

    @Test
    void notJson() {
        TrapFileException e = assertThrows(TrapFileException.class, () -> TrapFile.parse("{\"name\": "));
        assertTrue(e.getMessage().contains("not valid JSON"));
        assertThrows(IllegalArgumentException.class, () -> TrapFile.read(java.nio.file.Path.of("/nonexistent/trap.json")));
    }
}
