import { Module } from '@nestjs/common';
import { DeliveriesService } from './deliveries.service';
import { JobWorker } from './job-worker.service';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { Outbox } from './outbox.service';

/**
 * Notifications: the outbox (`messages`, filled by the triggers in sql/ from booking events in
 * the same transaction), its delivery by e-mail (nodemailer) and SMS in fi/sv/en (templates/,
 * transports/), the pg-boss job worker that delivers, retries and runs the schedules, and the
 * deliveries' list and retry for admins and staff (GET /messages, POST /messages/{id}/retry).
 */
@Module({
  controllers: [MessagesController],
  providers: [MessagesRepository, Outbox, JobWorker, DeliveriesService],
  exports: [Outbox, JobWorker],
})
export class NotificationsModule {}
