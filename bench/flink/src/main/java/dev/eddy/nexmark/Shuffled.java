package dev.eddy.nexmark;

/**
 * The records the queries send through their shuffles: only the fields the next operator needs,
 * projected before the keyBy in the source's chain, exactly as the Eddy jobs (bench/nexmark/qN.ts)
 * project theirs, so both engines run the same logical plan. Flink POJOs (public fields, no-arg
 * constructor), named as the Eddy jobs name them.
 */
public final class Shuffled {
    private Shuffled() {}

    /** q3: a person from OR, ID or CA, keyed by id. */
    public static class Seller {
        public long id;
        public String name;
        public String city;
        public String state;

        public Seller() {}

        public static Seller of(Person p) {
            Seller s = new Seller();
            s.id = p.id;
            s.name = p.name;
            s.city = p.city;
            s.state = p.state;
            return s;
        }
    }

    /** q3: an auction of category 10, keyed by seller. */
    public static class SellerAuction {
        public long id;
        public long seller;

        public SellerAuction() {}

        public static SellerAuction of(Auction a) {
            SellerAuction s = new SellerAuction();
            s.id = a.id;
            s.seller = a.seller;
            return s;
        }
    }

    /** q4: the terms of an auction, keyed by id. */
    public static class OpenAuction {
        public long id;
        public long dateTime;
        public long expires;
        public long category;

        public OpenAuction() {}

        public static OpenAuction of(Auction a) {
            OpenAuction o = new OpenAuction();
            o.id = a.id;
            o.dateTime = a.dateTime;
            o.expires = a.expires;
            o.category = a.category;
            return o;
        }
    }

    /** q4: a bid's price and time, keyed by auction. */
    public static class BidPrice {
        public long auction;
        public long price;
        public long dateTime;

        public BidPrice() {}

        public static BidPrice of(Bid b) {
            BidPrice p = new BidPrice();
            p.auction = b.auction;
            p.price = b.price;
            p.dateTime = b.dateTime;
            return p;
        }
    }

    /** q7: a bid without its strings, keyed by auction. */
    public static class PricedBid {
        public long auction;
        public long price;
        public long bidder;
        public long dateTime;

        public PricedBid() {}

        public static PricedBid of(Bid b) {
            PricedBid p = new PricedBid();
            p.auction = b.auction;
            p.price = b.price;
            p.bidder = b.bidder;
            p.dateTime = b.dateTime;
            return p;
        }
    }
}
