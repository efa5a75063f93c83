// OpenTelemetry's Node auto-instrumentation with every span dropped: what a traced app pays
// before any export cost. Loaded with `node --require bench/apps/otel.cjs app.cjs`.
'use strict';
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');

/** A SpanExporter that discards what it is given and reports success. */
class DiscardingExporter {
  export(_spans, resultCallback) {
    resultCallback({ code: 0 });
  }
  shutdown() {
    return Promise.resolve();
  }
  forceFlush() {
    return Promise.resolve();
  }
}

const sdk = new NodeSDK({
  spanProcessors: [new BatchSpanProcessor(new DiscardingExporter())],
  instrumentations: [getNodeAutoInstrumentations()],
});
sdk.start();
