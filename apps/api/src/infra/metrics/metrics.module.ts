import { Global, Module } from '@nestjs/common';
import { FigureProviders } from './figure-providers.js';
import { HttpRouteMetrics } from './http-metrics.js';
import { ProcessMetrics } from './process-metrics.js';
import { PrometheusMetrics } from './prometheus.js';

/** The figures every module can contribute to and read (global: no import needed). */
@Global()
@Module({
  providers: [
    FigureProviders,
    { provide: HttpRouteMetrics, useFactory: () => new HttpRouteMetrics() },
    { provide: ProcessMetrics, useFactory: () => new ProcessMetrics() },
    {
      provide: PrometheusMetrics,
      inject: [HttpRouteMetrics],
      useFactory: (http: HttpRouteMetrics) => new PrometheusMetrics(http),
    },
  ],
  exports: [FigureProviders, HttpRouteMetrics, ProcessMetrics, PrometheusMetrics],
})
export class MetricsModule {}
