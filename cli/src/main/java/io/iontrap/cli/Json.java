package io.iontrap.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;

/** JSON on stdout: one object per command, numbers at full double precision. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode putArray(ObjectNode node, String field, double[] values) {
        ArrayNode a = node.putArray(field);
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    /** Echoes the model file's unit label so every output says which unit its numbers are in. */
    static void putUnits(ObjectNode node, ModelFile file) {
        node.put("units", file.units() == null ? "unit of the model file (angular frequency)" : file.units());
    }

    static void print(ObjectNode node) {
        try {
            System.out.println(MAPPER.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise output", e);
        }
        System.out.flush();
    }
}
