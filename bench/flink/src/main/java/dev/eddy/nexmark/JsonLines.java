package dev.eddy.nexmark;

/**
 * Canonical JSON lines: {@code {"<kind>":{fields in the spec's order}}}, identical to
 * canonicalJson() of the TypeScript generator (JSON.stringify of its classes). The shared checksum
 * is sha256 over these lines, each followed by '\n'.
 */
public final class JsonLines {
    private JsonLines() {}

    public static String toJson(NexmarkEvent e) {
        StringBuilder sb = new StringBuilder(256);
        appendEvent(sb, e);
        return sb.toString();
    }

    public static String toJson(Person p) {
        StringBuilder sb = new StringBuilder(256);
        appendPerson(sb, p);
        return sb.toString();
    }

    public static String toJson(Auction a) {
        StringBuilder sb = new StringBuilder(512);
        appendAuction(sb, a);
        return sb.toString();
    }

    public static String toJson(Bid b) {
        StringBuilder sb = new StringBuilder(160);
        appendBid(sb, b);
        return sb.toString();
    }

    public static void appendEvent(StringBuilder sb, NexmarkEvent e) {
        if (e.bid != null) {
            sb.append("{\"bid\":");
            appendBid(sb, e.bid);
        } else if (e.auction != null) {
            sb.append("{\"auction\":");
            appendAuction(sb, e.auction);
        } else {
            sb.append("{\"person\":");
            appendPerson(sb, e.person);
        }
        sb.append('}');
    }

    public static void appendPerson(StringBuilder sb, Person p) {
        sb.append("{\"id\":").append(p.id);
        str(sb, ",\"name\":", p.name);
        str(sb, ",\"emailAddress\":", p.emailAddress);
        str(sb, ",\"creditCard\":", p.creditCard);
        str(sb, ",\"city\":", p.city);
        str(sb, ",\"state\":", p.state);
        sb.append(",\"dateTime\":").append(p.dateTime);
        str(sb, ",\"extra\":", p.extra);
        sb.append('}');
    }

    public static void appendAuction(StringBuilder sb, Auction a) {
        sb.append("{\"id\":").append(a.id);
        str(sb, ",\"itemName\":", a.itemName);
        str(sb, ",\"description\":", a.description);
        sb.append(",\"initialBid\":").append(a.initialBid);
        sb.append(",\"reserve\":").append(a.reserve);
        sb.append(",\"dateTime\":").append(a.dateTime);
        sb.append(",\"expires\":").append(a.expires);
        sb.append(",\"seller\":").append(a.seller);
        sb.append(",\"category\":").append(a.category);
        str(sb, ",\"extra\":", a.extra);
        sb.append('}');
    }

    public static void appendBid(StringBuilder sb, Bid b) {
        sb.append("{\"auction\":").append(b.auction);
        sb.append(",\"bidder\":").append(b.bidder);
        sb.append(",\"price\":").append(b.price);
        str(sb, ",\"channel\":", b.channel);
        str(sb, ",\"url\":", b.url);
        sb.append(",\"dateTime\":").append(b.dateTime);
        str(sb, ",\"extra\":", b.extra);
        sb.append('}');
    }

    static void str(StringBuilder sb, String key, String v) {
        sb.append(key);
        if (v == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0, n = v.length(); i < n; i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
