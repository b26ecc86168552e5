export * from './generator.js';
export * from './ids.js';
export { NexmarkRandom, fmix32, initialState } from './random.js';
export * from './nexmark-source.js';
