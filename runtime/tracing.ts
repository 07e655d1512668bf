/**
 * OpenTelemetry traces across API → workflow → activity, behind `OPSFLOW_TRACING` (off by
 * default). The API's Temporal client puts the trace context into each start, update and signal;
 * the worker continues it in the workflow (spans leave the sandbox through a sink) and in every
 * activity. Spans go to an OTLP/HTTP collector or, for a quick look, to stdout.
 */
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type { Config } from './config';

/** The workflow-side interceptors, bundled with the workflow code when tracing is on. */
export const workflowTracingModule =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

export interface Tracing {
  /** Client interceptors for the API's (and the worker's) Temporal client. */
  clientInterceptors: ClientInterceptors;
  workerInterceptors: WorkerInterceptors;
  /** The sink through which spans leave the workflow sandbox. */
  sinks: InjectedSinks<OpenTelemetrySinks>;
  /** Flushes what is still buffered. */
  shutdown(): Promise<void>;
}

/** Null when tracing is off. `component` names the process (api, worker) in each span's resource. */
export function createTracing(config: Config, component: string): Tracing | null {
  const { exporter, otlpEndpoint, serviceName } = config.tracing;
  if (exporter === 'off') return null;
  const resource = new Resource({ 'service.name': serviceName, 'service.instance.role': component });
  const processor: SpanProcessor =
    exporter === 'otlp'
      ? new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/$/, '')}/v1/traces` }))
      : new SimpleSpanProcessor(new ConsoleSpanExporter());
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  trace.setGlobalTracerProvider(provider);
  return {
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    workerInterceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
    shutdown: () => provider.shutdown(),
  };
}
