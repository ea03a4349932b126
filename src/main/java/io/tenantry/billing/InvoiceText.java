package io.tenantry.billing;

import java.util.List;

/**
 * An invoice as CSV (RFC 4180: every field quoted, quotes doubled; a leading =, +, - or @ prefixed with ' so that a
 * spreadsheet does not run it as a formula) or as a printable HTML page, every value escaped.
 */
public final class InvoiceText {
  private InvoiceText() {
  }

  public static String csv(Invoice invoice) {
    StringBuilder out = new StringBuilder("position,tenant,meter,description,quantity,unit_price,amount,currency\r\n");
    List<InvoiceLine> lines = invoice.lines();
    for (int i = 0; i < lines.size(); i++) {
      InvoiceLine l = lines.get(i);
      row(out, Integer.toString(i + 1), l.tenant(), l.meter(), l.description(), Long.toString(l.quantity()),
        Long.toString(l.unitPrice()), Long.toString(l.amount()), invoice.currency());
    }
    row(out, "", "", "total", invoice.kind() + " " + invoice.id() + " (" + invoice.status() + ")", "", "",
      Long.toString(invoice.total()), invoice.currency());
    return out.toString();
  }

  private static void row(StringBuilder out, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      String field = fields[i];
      if (!field.isEmpty() && "=+-@".indexOf(field.charAt(0)) >= 0 && !field.matches("-?\\d+")) {
        field = "'" + field;
      }
      out.append('"').append(field.replace("\"", "\"\"")).append('"');
    }
    out.append("\r\n");
  }

  public static String html(Invoice invoice) {
    StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
      .append(esc(title(invoice))).append("</title><style>body{font-family:sans-serif;margin:2em}"
        + "table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px 8px}"
        + "td.n{text-align:right}@media print{body{margin:0}}</style></head><body>\n<h1>")
      .append(esc(title(invoice))).append("</h1>\n<p>Tenant: ").append(esc(invoice.tenant()))
      .append("<br>Period: ").append(esc(invoice.periodStart().toString())).append(" to ")
      .append(esc(invoice.periodEnd().toString())).append("<br>Status: ").append(esc(invoice.status()))
      .append("<br>Currency: ").append(esc(invoice.currency())).append(" (amounts in minor units)</p>\n")
      .append("<table><tr><th>#</th><th>Tenant</th><th>Meter</th><th>Description</th><th>Quantity</th>"
        + "<th>Unit price</th><th>Amount</th></tr>\n");
    List<InvoiceLine> lines = invoice.lines();
    for (int i = 0; i < lines.size(); i++) {
      InvoiceLine l = lines.get(i);
      out.append("<tr><td class=\"n\">").append(i + 1).append("</td><td>").append(esc(l.tenant())).append("</td><td>")
        .append(esc(l.meter())).append("</td><td>").append(esc(l.description())).append("</td><td class=\"n\">")
        .append(l.quantity()).append("</td><td class=\"n\">").append(l.unitPrice()).append("</td><td class=\"n\">")
        .append(l.amount()).append("</td></tr>\n");
    }
    out.append("<tr><th colspan=\"6\">Total</th><td class=\"n\">").append(invoice.total())
      .append("</td></tr>\n</table>\n");
    if (invoice.reason() != null) {
      out.append("<p>Reason: ").append(esc(invoice.reason())).append("</p>\n");
    }
    return out.append("</body></html>\n").toString();
  }

  private static String title(Invoice invoice) {
    return ("credit_note".equals(invoice.kind()) ? "Credit note " : "Invoice ") + invoice.id();
  }

  static String esc(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
