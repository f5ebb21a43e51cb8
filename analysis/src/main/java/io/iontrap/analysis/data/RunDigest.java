package io.iontrap.analysis.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * SHA-256 over a canonical serialisation of a {@link RunData}: stored in the run file and
 * recomputed on reading, so a flipped byte anywhere in what the analysis uses is detected.
 */
final class RunDigest {
    private RunDigest() {
    }

    static String sha256(RunData r) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF("iontrap-run/1");
            out.writeInt(r.ions());
            if (r.model() != null) {
                out.writeBoolean(true);
                out.writeDouble(r.model().omega());
                out.writeDouble(r.model().drive());
                out.writeDouble(r.model().kappa());
                out.writeDouble(r.model().gamma());
                for (double g : r.model().g()) {
                    out.writeDouble(g);
                }
            } else {
                out.writeBoolean(false);
            }
            string(out, r.units());
            out.writeInt(r.timeCount());
            for (int t = 0; t < r.timeCount(); t++) {
                out.writeDouble(r.time(t));
                out.writeInt(r.plannedShots()[t]);
                out.writeInt(r.recorded(t));
            }
            out.writeLong(r.initial());
            double[][] e = r.detectionError();
            out.writeBoolean(e != null);
            if (e != null) {
                for (double[] row : e) {
                    out.writeDouble(row[0]);
                    out.writeDouble(row[1]);
                }
            }
            string(out, r.trapJson());
            string(out, r.hardwareJson());
            out.writeInt(r.provenance().size());
            for (Map.Entry<String, String> en : r.provenance().entrySet()) {
                string(out, en.getKey());
                string(out, en.getValue());
            }
            out.writeBoolean(r.complete());
            out.flush();
            md.update(bytes.toByteArray());
            // shots streamed in blocks to keep memory flat for large runs
            byte[] block = new byte[8 * 4096];
            int pos = 0;
            for (int t = 0; t < r.timeCount(); t++) {
                for (long s : r.shots(t)) {
                    for (int k = 0; k < 8; k++) {
                        block[pos++] = (byte) (s >>> (8 * k));
                    }
                    if (pos == block.length) {
                        md.update(block, 0, pos);
                        pos = 0;
                    }
                }
            }
            md.update(block, 0, pos);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot compute the run digest", e);
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
        } else {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }
}
