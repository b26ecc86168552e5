/**
 * The network data-exchange layer: records between subtasks in different processes or threads
 * travel as batched, credit-controlled frames over TCP (ARCHITECTURE.md §3, wire format in
 * proto/eddy/v1/dataexchange.proto).
 *
 * @example
 * ```ts
 * const env = await NetworkEnvironment.start({ host: '127.0.0.1', logger });
 * const codec = createRecordCodec();
 * const gate = env.createInputGate({ taskKey: 'job/v2/0', gateIndex: 0, numChannels: 1, creditsPerChannel: 4, codec });
 * const out = env.createResultPartition({
 *   consumers: [{ host: '127.0.0.1', port: env.port, taskKey: 'job/v2/0', gateIndex: 0 }],
 *   producerIndex: 0, codec, bufferSizeBytes: 32768, bufferTimeoutMs: 100, maxQueuedBuffersPerChannel: 4,
 * });
 * out.emit(0, { price: 1 }, 1700000000000); // event time; omitted (NaN) = no timestamp
 * out.broadcastEvent({ type: 'watermark', timestamp: 1700000000000 });
 * await out.finish();
 * for (;;) {
 *   const e = gate.pollNext();
 *   if (e === 'end') break;
 *   if (e === undefined) await gate.availability();
 *   else if ('event' in e) handleEvent(e.channel, e.event);
 *   else handle(e.records, e.timestamps); // timestamps: Float64Array | undefined
 * }
 * ```
 */
export { createRecordCodec, type RecordCodec, type RecordCodecName } from './record-codec.js';
export type { ConsumerAddress } from './output-channel.js';
export { ResultPartition, type ResultPartitionOptions } from './result-partition.js';
export { InputGate, type InputGateOptions, type GateEvent } from './input-gate.js';
export type { NetworkEvent } from './network-event.js';
export { NetworkEnvironment } from './network-environment.js';
export { DataChannelError, FrameFormatError } from './network-errors.js';
