/**
 * Nexmark ids, as docs/nexmark-spec.md "Ids" defines them (all base 0; the generator adds
 * FIRST_PERSON_ID / FIRST_AUCTION_ID). Pure functions of the event id and the proportions.
 * With the default proportions (person 1, auction 3, bid 46) they are exactly the spec's formulas.
 */
import type { NexmarkRandom } from './random.js';

export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;
export const NUM_CATEGORIES = 5;
/** Hot sellers / bidders / auctions are the multiples of this batch. */
export const HOT_BATCH = 100;
/** How far past the last id a random id may reach (ids not yet created). */
export const ID_LEAD = 10;

/** The proportions and sizes the id functions need (a NexmarkConfig satisfies it). */
export interface IdConfig {
  readonly personProportion: number;
  readonly auctionProportion: number;
  readonly bidProportion: number;
  readonly numActivePeople: number;
  readonly numInFlightAuctions: number;
}

/** Base-0 id of the last person created at or before event `e` (the person of e, if e is one). */
export function lastPerson(c: IdConfig, e: number): number {
  const total = c.personProportion + c.auctionProportion + c.bidProportion;
  const epoch = Math.floor(e / total);
  let off = e - epoch * total;
  if (off >= c.personProportion) off = c.personProportion - 1;
  return epoch * c.personProportion + off;
}

/** Base-0 id of the last auction created at or before event `e` (−1 before the first one). */
export function lastAuction(c: IdConfig, e: number): number {
  const total = c.personProportion + c.auctionProportion + c.bidProportion;
  let epoch = Math.floor(e / total);
  let off = e - epoch * total;
  if (off < c.personProportion) {
    epoch -= 1;
    off = c.auctionProportion - 1;
  } else if (off >= c.personProportion + c.auctionProportion) {
    off = c.auctionProportion - 1;
  } else {
    off -= c.personProportion;
  }
  return epoch * c.auctionProportion + off;
}

/** A base-0 person id among the active people (or up to ID_LEAD ahead); draws one nextLong. */
export function randomPerson(c: IdConfig, e: number, rng: NexmarkRandom): number {
  const n = lastPerson(c, e) + 1;
  const active = Math.min(n, c.numActivePeople);
  return n - active + rng.nextLong(active + ID_LEAD);
}

/** A base-0 auction id among those in flight (or up to ID_LEAD ahead); draws one nextLong. */
export function randomAuction(c: IdConfig, e: number, rng: NexmarkRandom): number {
  const max = lastAuction(c, e);
  const min = Math.max(max - c.numInFlightAuctions, 0);
  return min + rng.nextLong(max - min + 1 + ID_LEAD);
}
