import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Optimizations } from '../optimizations/optimizations.js';
import { AppConfig } from './app-config.js';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Optimizations, useValue: new Optimizations(config.optimizations) },
      ],
      exports: [AppConfig, Optimizations],
    };
  }
}
