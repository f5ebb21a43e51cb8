package io.iontrap.analysis.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON output of the analysis summary: non-finite numbers become null (JSON has no Infinity/NaN). */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    public static String write(Object summary) {
        try {
            return MAPPER.writeValueAsString(sanitise(summary));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the summary", e);
        }
    }

    /** Replaces non-finite doubles by null, recursively, and arrays of doubles by lists. */
    public static Object sanitise(Object o) {
        if (o instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (o instanceof Float f) {
            return Float.isFinite(f) ? f : null;
        }
        if (o instanceof double[] a) {
            List<Object> l = new ArrayList<>();
            for (double v : a) {
                l.add(sanitise(v));
            }
            return l;
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), sanitise(e.getValue()));
            }
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object v : l) {
                out.add(sanitise(v));
            }
            return out;
        }
        return o;
    }
}
