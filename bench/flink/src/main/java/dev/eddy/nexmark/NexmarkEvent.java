package dev.eddy.nexmark;

/** Exactly one of person, auction, bid is non-null (Flink POJO). */
public class NexmarkEvent {
    public Person person;
    public Auction auction;
    public Bid bid;

    public NexmarkEvent() {}

    public static NexmarkEvent of(Person p) {
        NexmarkEvent e = new NexmarkEvent();
        e.person = p;
        return e;
    }

    public static NexmarkEvent of(Auction a) {
        NexmarkEvent e = new NexmarkEvent();
        e.auction = a;
        return e;
    }

    public static NexmarkEvent of(Bid b) {
        NexmarkEvent e = new NexmarkEvent();
        e.bid = b;
        return e;
    }

    /** "person", "auction" or "bid". */
    public String kind() {
        return bid != null ? "bid" : auction != null ? "auction" : "person";
    }

    /** The event time (epoch ms) the event carries. */
    public long dateTime() {
        return bid != null ? bid.dateTime : auction != null ? auction.dateTime : person.dateTime;
    }

    @Override
    public String toString() {
        return JsonLines.toJson(this);
    }
}
