// Windowed join of orders and shipments on order id in 1 s tumbling event-time windows. args: [n, out]
import { defineJob, FileSink, GeneratorSource, TumblingEventTimeWindows, WatermarkStrategy } from '@eddy/sdk';

interface Order { id: number; time: number }
interface Shipment { order: number; time: number }

export default defineJob((env, args) => {
  const n = Number(args[0]);
  const orders = env.fromSource(
    new GeneratorSource(n, (i): Order => ({ id: i % 500, time: i * 7 })),
    WatermarkStrategy.forMonotonousTimestamps<Order>().withTimestampAssigner((o) => o.time),
    'Orders',
  );
  const shipments = env.fromSource(
    new GeneratorSource(n, (i): Shipment => ({ order: (i * 3) % 500, time: i * 7 + 3 })),
    WatermarkStrategy.forMonotonousTimestamps<Shipment>().withTimestampAssigner((s) => s.time),
    'Shipments',
  );
  orders
    .join(shipments)
    .where((o) => o.id)
    .equalTo((s) => s.order)
    .window(TumblingEventTimeWindows.of(1000))
    .apply((o, s) => ({ order: o.id, orderTime: o.time, shipTime: s.time }))
    .sinkTo(FileSink.forPath(args[1]!));
});
