import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessGuard } from './common/auth/access.guard';
import { CommonModule } from './common/common.module';
import { Clock, SystemClock } from './common/time/clock';
import { AppConfig, APP_CONFIG } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { LocationsModule } from './modules/locations/locations.module';
import { PartnersModule } from './modules/partners/partners.module';
import { TopicsModule } from './modules/topics/topics.module';
import { TutorsModule } from './modules/tutors/tutors.module';
import { SlotsModule } from './modules/slots/slots.module';
import { BookingsModule } from './modules/bookings/bookings.module';
import { UsersModule } from './modules/users/users.module';
import { WebModule } from './modules/web/web.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** Connection URL of the (already migrated) database. */
  databaseUrl: string;
  /** Tests pass a FixedClock. */
  clock?: Clock;
  /** Tests add throw-away modules (e.g. a route that fails) to exercise the real pipeline. */
  extraModules?: Type[];
}

@Global()
@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(options.databaseUrl, options.config.database.poolSize)),
        CommonModule,
        HealthModule,
        UsersModule,
        AuthModule,
        LocationsModule,
        TopicsModule,
        TutorsModule,
        PartnersModule,
        SlotsModule,
        BookingsModule,
        WebModule,
        ...(options.extraModules ?? []),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: Clock, useValue: options.clock ?? new SystemClock() },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}
