// Keyed connect: orders and payments keyed by order id, matched by a CoProcessFunction with ValueState.
// args: [output dir, order count]
// Order i: { id: i, customer: `c<i % 37>` }. Payment j is for order (j * 7919) % count (a permutation, so
// payments arrive in a different order from orders), amount 1 + (orderId % 100); orders whose id is a
// multiple of 5 get no payment. Both sources run at the job's parallelism, so either side of a pair may
// arrive first.
import {
  defineJob,
  FileSink,
  ValueStateDescriptor,
  type Collector,
  type CoProcessFunction,
  type RuntimeContext,
  type ValueState,
} from '@eddy/sdk';

interface Order {
  id: number;
  customer: string;
}
interface Payment {
  orderId: number;
  amount: number;
}
interface Paid {
  orderId: number;
  customer: string;
  amount: number;
  /** which side arrived first */
  first: 'order' | 'payment';
}

class MatchPayments implements CoProcessFunction<Order, Payment, Paid> {
  private order!: ValueState<Order>;
  private payment!: ValueState<Payment>;

  open(ctx: RuntimeContext): void {
    this.order = ctx.getState(new ValueStateDescriptor<Order>('order'));
    this.payment = ctx.getState(new ValueStateDescriptor<Payment>('payment'));
  }

  processElement1(o: Order, _ctx: unknown, out: Collector<Paid>): void {
    const p = this.payment.value();
    if (p !== undefined) {
      out.collect({ orderId: o.id, customer: o.customer, amount: p.amount, first: 'payment' });
      this.payment.clear();
    } else this.order.update(o);
  }

  processElement2(p: Payment, _ctx: unknown, out: Collector<Paid>): void {
    const o = this.order.value();
    if (o !== undefined) {
      out.collect({ orderId: o.id, customer: o.customer, amount: p.amount, first: 'order' });
      this.order.clear();
    } else this.payment.update(p);
  }
}

export default defineJob((env, args) => {
  const [out, count] = [args[0]!, Number(args[1] ?? 20_000)];
  const orders = env.fromGenerator(count, (i): Order => ({ id: i, customer: `c${i % 37}` })).name('Orders');
  const payments = env
    .fromGenerator(count, (j): Payment => {
      const orderId = (j * 7919) % count;
      return { orderId, amount: 1 + (orderId % 100) };
    })
    .name('Payments')
    .filter((p) => p.orderId % 5 !== 0);
  orders
    .keyBy((o) => o.id)
    .connect(payments.keyBy((p) => p.orderId))
    .process(new MatchPayments())
    .name('MatchPayments')
    .sinkTo(FileSink.forPath<Paid>(out));
});
