package dev.eddy.nexmark;

/**
 * The output records of q2-q8 (docs/nexmark-queries.md), Flink POJOs with public fields in the
 * documented order. q0 outputs {@link Bid}, q1 {@link EuroBid}.
 */
public final class Outputs {
    private Outputs() {}

    /** q2: { auction, price }. */
    public static class Q2 {
        public long auction;
        public long price;

        public Q2() {}

        public Q2(long auction, long price) {
            this.auction = auction;
            this.price = price;
        }
    }

    /** q3: { name, city, state, id } (the person's name, city, state; the auction's id). */
    public static class Q3 {
        public String name;
        public String city;
        public String state;
        public long id;

        public Q3() {}

        public Q3(String name, String city, String state, long id) {
            this.name = name;
            this.city = city;
            this.state = state;
            this.id = id;
        }
    }

    /** q4: { category, average }. */
    public static class Q4 {
        public long category;
        public double average;

        public Q4() {}

        public Q4(long category, double average) {
            this.category = category;
            this.average = average;
        }
    }

    /** q5: { auction, count, windowStart, windowEnd }. */
    public static class Q5 {
        public long auction;
        public long count;
        public long windowStart;
        public long windowEnd;

        public Q5() {}

        public Q5(long auction, long count, long windowStart, long windowEnd) {
            this.auction = auction;
            this.count = count;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
        }
    }

    /** q7: { auction, price, bidder, dateTime, windowEnd }. */
    public static class Q7 {
        public long auction;
        public long price;
        public long bidder;
        public long dateTime;
        public long windowEnd;

        public Q7() {}

        public Q7(long auction, long price, long bidder, long dateTime, long windowEnd) {
            this.auction = auction;
            this.price = price;
            this.bidder = bidder;
            this.dateTime = dateTime;
            this.windowEnd = windowEnd;
        }
    }

    /** q8: { id, name, windowStart }. */
    public static class Q8 {
        public long id;
        public String name;
        public long windowStart;

        public Q8() {}

        public Q8(long id, String name, long windowStart) {
            this.id = id;
            this.name = name;
            this.windowStart = windowStart;
        }
    }

    /** One output record as a JSON object, fields in the documented order, numbers as JavaScript prints them. */
    public static String toJson(Object o) {
        StringBuilder sb = new StringBuilder(128);
        if (o instanceof Bid) {
            JsonLines.appendBid(sb, (Bid) o);
        } else if (o instanceof EuroBid) {
            EuroBid b = (EuroBid) o;
            sb.append("{\"auction\":").append(b.auction);
            sb.append(",\"bidder\":").append(b.bidder);
            sb.append(",\"price\":");
            JsNumber.append(sb, b.price);
            JsonLines.str(sb, ",\"channel\":", b.channel);
            JsonLines.str(sb, ",\"url\":", b.url);
            sb.append(",\"dateTime\":").append(b.dateTime);
            JsonLines.str(sb, ",\"extra\":", b.extra);
            sb.append('}');
        } else if (o instanceof Q2) {
            Q2 r = (Q2) o;
            sb.append("{\"auction\":").append(r.auction).append(",\"price\":").append(r.price).append('}');
        } else if (o instanceof Q3) {
            Q3 r = (Q3) o;
            JsonLines.str(sb, "{\"name\":", r.name);
            JsonLines.str(sb, ",\"city\":", r.city);
            JsonLines.str(sb, ",\"state\":", r.state);
            sb.append(",\"id\":").append(r.id).append('}');
        } else if (o instanceof Q4) {
            Q4 r = (Q4) o;
            sb.append("{\"category\":").append(r.category).append(",\"average\":");
            JsNumber.append(sb, r.average);
            sb.append('}');
        } else if (o instanceof Q5) {
            Q5 r = (Q5) o;
            sb.append("{\"auction\":").append(r.auction).append(",\"count\":").append(r.count)
                    .append(",\"windowStart\":").append(r.windowStart).append(",\"windowEnd\":").append(r.windowEnd)
                    .append('}');
        } else if (o instanceof Q7) {
            Q7 r = (Q7) o;
            sb.append("{\"auction\":").append(r.auction).append(",\"price\":").append(r.price)
                    .append(",\"bidder\":").append(r.bidder).append(",\"dateTime\":").append(r.dateTime)
                    .append(",\"windowEnd\":").append(r.windowEnd).append('}');
        } else if (o instanceof Q8) {
            Q8 r = (Q8) o;
            sb.append("{\"id\":").append(r.id);
            JsonLines.str(sb, ",\"name\":", r.name);
            sb.append(",\"windowStart\":").append(r.windowStart).append('}');
        } else {
            throw new IllegalArgumentException("not a Nexmark output record: " + o);
        }
        return sb.toString();
    }
}
