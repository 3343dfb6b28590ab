import { Module } from '@nestjs/common';
import { JobWorker } from './job-worker.service';
import { MessagesRepository } from './messages.repository';
import { Outbox } from './outbox.service';

/**
 * Notifications: the outbox (`messages`, filled by the triggers in sql/ from booking events in
 * the same transaction), its delivery by e-mail (nodemailer) and SMS in fi/sv/en (templates/,
 * transports/), and the pg-boss job worker that delivers, retries and runs the schedules.
 */
@Module({
  providers: [MessagesRepository, Outbox, JobWorker],
  exports: [Outbox, JobWorker],
})
export class NotificationsModule {}
