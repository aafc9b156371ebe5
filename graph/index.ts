// The engine's public surface: build graphs of plain functions, run them, draw them.
export { graphBuilder, GraphBuilder, Chain, type NodeRef } from './builder.js';
export { JobGraph, type GraphNodeInfo } from './job-graph.js';
export { source, transform, stream, sink, batchSink } from './node.js';
export type { NodeContext, SourceNode, TransformNode, StreamNode, SinkNode, AnyNode, NodeKind, RowResult, TransformOptions, Awaitable } from './node.js';
export { runGraph, summarize, type RunOptions } from './executor.js';
export { withServices, provided, sharedWhileInUse, type ServiceProvider, type ServiceProviders } from './services.js';
export { toDot } from './dot.js';
export { formatDuration } from './duration.js';
export { withDeadline, DeadlineError } from './deadline.js';
export * from './errors.js';
export * from './run-status.js';
export { setFields } from './nodes/set-fields.js';
export { map, mapAsync } from './nodes/map.js';
export { filter } from './nodes/filter.js';
export { reduce } from './nodes/reduce.js';
export { limit } from './nodes/limit.js';
export { tee, log } from './nodes/log.js';
export { batch } from './nodes/batch.js';
