/**
 * Fraud detection, the classic first keyed-state job: per account, a small transaction (< 1.00)
 * followed within one minute (event time) by a large one (> 500.00) raises an alert. A ValueState flag
 * remembers the small transaction; an event-time timer clears it after the minute, so idle accounts
 * keep no state.
 *
 *   npx eddy local examples/fraud-detection.ts -p 2 -- [transactions] [output dir]
 */
import {
  defineJob,
  FileSink,
  GeneratorSource,
  ValueStateDescriptor,
  WatermarkStrategy,
  type Collector,
  type KeyedProcessFunction,
  type ProcessContext,
  type RuntimeContext,
  type ValueState,
} from '@eddy/sdk';

export interface Transaction {
  account: number;
  amount: number;
  time: number; // epoch ms
}

export interface Alert {
  account: number;
  smallAt: number;
  largeAt: number;
  amount: number;
}

const SMALL = 1.0;
const LARGE = 500.0;
const ONE_MINUTE = 60_000;
const BASE_TIME = 1_700_000_000_000;

/** Deterministic synthetic transactions: 200 accounts, one transaction per 100 ms of event time. */
export function transaction(i: number): Transaction {
  let h = Math.imul(i + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  const account = h % 200;
  const kind = (h >>> 10) % 100;
  const amount = kind < 5 ? 0.5 : kind < 10 ? 750 : 20 + ((h >>> 17) % 200);
  return { account, amount, time: BASE_TIME + i * 100 };
}

export class FraudDetector implements KeyedProcessFunction<number, Transaction, Alert> {
  private flag!: ValueState<number>; // time of the last small transaction
  private timer!: ValueState<number>;

  open(ctx: RuntimeContext): void {
    this.flag = ctx.getState(new ValueStateDescriptor<number>('small-transaction-at'));
    this.timer = ctx.getState(new ValueStateDescriptor<number>('clear-timer'));
  }

  processElement(tx: Transaction, ctx: ProcessContext<number>, out: Collector<Alert>): void {
    let smallAt = this.flag.value();
    if (smallAt !== undefined && tx.time >= smallAt + ONE_MINUTE) {
      // Older than a minute: the timer just has not fired yet (watermarks lag the records).
      this.clear(ctx);
      smallAt = undefined;
    }
    if (smallAt !== undefined) {
      if (tx.amount > LARGE) out.collect({ account: tx.account, smallAt, largeAt: tx.time, amount: tx.amount });
      this.clear(ctx);
    }
    if (tx.amount < SMALL) {
      this.flag.update(tx.time);
      const at = tx.time + ONE_MINUTE;
      ctx.timerService().registerEventTimeTimer(at);
      this.timer.update(at);
    }
  }

  onTimer(): void {
    this.flag.clear();
    this.timer.clear();
  }

  private clear(ctx: ProcessContext<number>): void {
    const t = this.timer.value();
    if (t !== undefined) ctx.timerService().deleteEventTimeTimer(t);
    this.flag.clear();
    this.timer.clear();
  }
}

export default defineJob((env, args) => {
  const count = Number(args[0] ?? 200_000);
  env.setJobName('fraud-detection');
  env
    .fromSource(
      new GeneratorSource(count, transaction),
      WatermarkStrategy.forMonotonousTimestamps<Transaction>().withTimestampAssigner((t) => t.time),
      'Transactions',
    )
    .setParallelism(1) // one ordered stream of transactions, as a payment log would be
    .keyBy((t) => t.account)
    .process(new FraudDetector())
    .name('FraudDetector')
    .uid('fraud-detector')
    .sinkTo(FileSink.forPath(args[1] ?? '.eddy/out/alerts'));
});
