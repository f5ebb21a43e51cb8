package io.iontrap.analysis.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A self-contained HTML page: headings, key–value tables, tables, warnings and PNGs embedded as base64. */
public final class HtmlReport {
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<String> warnings = new ArrayList<>();

    public HtmlReport(String title) {
        this.title = title;
    }

    public HtmlReport heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    public HtmlReport keyValues(Map<String, ?> rows) {
        body.append("<table class=\"kv\">\n");
        for (Map.Entry<String, ?> e : rows.entrySet()) {
            body.append("<tr><th>").append(escape(e.getKey())).append("</th><td>").append(escape(text(e.getValue())))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    public HtmlReport table(List<String> header, List<List<?>> rows) {
        body.append("<table>\n<tr>");
        for (String h : header) {
            body.append("<th>").append(escape(h)).append("</th>");
        }
        body.append("</tr>\n");
        for (List<?> r : rows) {
            body.append("<tr>");
            for (Object c : r) {
                body.append("<td>").append(escape(text(c))).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    public HtmlReport image(String caption, byte[] png) {
        body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    public HtmlReport warning(String w) {
        warnings.add(w);
        return this;
    }

    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:left;font-variant-numeric:tabular-nums}th{background:#f3f3f3}"
                        + ".warn{background:#fff4e5;border-left:4px solid #f0a020;padding:0.5em 1em}"
                        + "img{max-width:100%}figcaption{color:#555;font-size:90%}</style></head><body>\n<h1>")
                .append(escape(title)).append("</h1>\n");
        if (!warnings.isEmpty()) {
            b.append("<div class=\"warn\"><strong>Warnings</strong><ul>\n");
            for (String w : warnings) {
                b.append("<li>").append(escape(w)).append("</li>\n");
            }
            b.append("</ul></div>\n");
        }
        b.append(body).append("</body></html>\n");
        return b.toString();
    }

    /** Numbers with 4 significant digits; infinities as ±∞; null as "–". */
    public static String text(Object v) {
        if (v == null) {
            return "\u2013";
        }
        if (v instanceof Double d) {
            if (d.isNaN()) {
                return "\u2013";
            }
            if (d.isInfinite()) {
                return d > 0 ? "+\u221e" : "\u2212\u221e";
            }
            return String.format(Locale.ROOT, "%.4g", d);
        }
        return String.valueOf(v);
    }

    public static Map<String, Object> rows() {
        return new LinkedHashMap<>();
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
