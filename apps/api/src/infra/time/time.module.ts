import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock.js';

@Global()
@Module({})
export class TimeModule {
  /** The app's clock: the system clock unless a test passes its own. */
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: TimeModule,
      providers: [{ provide: Clock, useValue: clock }],
      exports: [Clock],
    };
  }
}
