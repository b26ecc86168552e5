package dev.eddy.nexmark;

/** q1's output: a bid with its price converted to euros (price * 0.908). Flink POJO. */
public class EuroBid {
    public long auction;
    public long bidder;
    public double price;
    public String channel;
    public String url;
    public long dateTime;
    public String extra;

    public EuroBid() {}

    public static EuroBid of(Bid b) {
        EuroBid e = new EuroBid();
        e.auction = b.auction;
        e.bidder = b.bidder;
        e.price = b.price * 0.908;
        e.channel = b.channel;
        e.url = b.url;
        e.dateTime = b.dateTime;
        e.extra = b.extra;
        return e;
    }
}
