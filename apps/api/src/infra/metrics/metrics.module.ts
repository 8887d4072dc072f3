import { Global, Module } from '@nestjs/common';
import { FigureProviders } from './figure-providers.js';

/** The figures registry every module can contribute to (global: no import needed). */
@Global()
@Module({
  providers: [FigureProviders],
  exports: [FigureProviders],
})
export class MetricsModule {}
