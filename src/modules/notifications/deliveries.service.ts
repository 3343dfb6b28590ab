import { Injectable } from '@nestjs/common';
import { assertCanSeeMessage, messageScopeOf } from '../../common/access/message-access';
import { Principal } from '../../common/auth/principal';
import { decodeCursor, Page, toPage } from '../../common/http/pagination';
import { ProblemException } from '../../common/problem/problem.exception';
import { Clock } from '../../common/time/clock';
import { formatInstant } from '../../common/time/format';
import { parseInstant } from '../../common/time/instant';
import { MessageListQuery, MessageStatus, MessageView } from './dto/message.dto';
import { MessageRecord, MessagesRepository } from './messages.repository';

const isCursor = (v: unknown): v is [string, string] => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[0]));

/** Admins and staff watching deliveries: the list (by default what failed or died) and a retry. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly repo: MessagesRepository,
    private readonly clock: Clock,
  ) {}

  async list(caller: Principal, q: MessageListQuery): Promise<Page<MessageView>> {
    const limit = q.limit ?? 50;
    const statuses = (q.status ?? 'failed,dead').split(',') as MessageStatus[];
    const after = q.cursor ? decodeCursor(q.cursor, isCursor) : undefined;
    const rows = await this.repo.list({
      scope: messageScopeOf(caller),
      statuses,
      from: instantParam('from', q.from),
      to: instantParam('to', q.to),
      after: after && { createdAt: new Date(after[0]), id: after[1] },
      limit: limit + 1,
    });
    return toPage(rows.map(view), limit, (last) => [rows.find((r) => r.id === last.id)!.createdAt.toISOString(), last.id]);
  }

  /** A dead (or failed) message queued again now, with every attempt available again. */
  async retry(caller: Principal, id: string): Promise<MessageView> {
    const message = assertCanSeeMessage(caller, await this.repo.findById(id));
    if (!(await this.repo.requeue(message.id, this.clock.now()))) {
      throw new ProblemException('invalid-transition', `Only a dead or failed message is retried; this one is ${message.status}.`);
    }
    return view((await this.repo.findById(id))!);
  }
}

function instantParam(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = parseInstant(value);
  if (!at) throw ProblemException.validation(field, 'invalid-instant', `${field} is an instant with an offset, e.g. 2026-12-01T00:00:00+02:00.`);
  return at;
}

function view(m: MessageRecord): MessageView {
  const at = (d: Date) => formatInstant(d, m.timeZone);
  return {
    id: m.id,
    template: m.template,
    channel: m.channel,
    recipientKind: m.recipientKind,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    nextAttemptAt: at(m.nextAttemptAt),
    createdAt: at(m.createdAt),
    sentAt: m.sentAt && at(m.sentAt),
    bookingId: m.bookingId,
    claimId: m.claimId,
    locationId: m.locationId,
  };
}
