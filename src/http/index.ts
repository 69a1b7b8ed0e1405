export { type Clock, createSystemClock } from './clock.js';
export { type HttpClient, type HttpReply, type HttpRequest, createHttpClient } from './http-client.js';
export { type IssueWording, type JsonReading, readJson, readWire } from './wire-readers.js';
export { type LandedReply, createLandedExchange } from './landed-exchange.js';
export { listenOn } from './listen.js';
export { type NetworkFailure, describeNetworkFailure } from './network-failure.js';
export { type OnRawReply, type RawReply } from './raw-reply.js';
export {
  type Exchange,
  type FaultWording,
  type RetryVerdict,
  type RetryWaits,
  attemptResult,
  decideRetry,
} from './retry-decision.js';
export { type RetryLoopOptions, type WaitResult, pollUntil, retryLoop } from './retry-loop.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, backoffCeilingMs, backoffDelayMs } from './retry-policy.js';
export { type RateLimit, createCallWindow, createInFlightLimit, createRateLimiter } from './throttle.js';
export { undici } from './undici.js';
export {
  type Read,
  describeValue,
  idReader,
  microsReader,
  optional,
  required,
  roundedMicrosReader,
  textReader,
} from './wire-readers.js';
export {
  optionalWireText,
  wireAmount,
  wireCount,
  wireFields,
  wireId,
  wireMicros,
  wireReads,
  wireText,
} from './wire-readers.js';
