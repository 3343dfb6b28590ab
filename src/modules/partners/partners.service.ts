import { Injectable } from '@nestjs/common';
import { assertCanSeePartner, assertMayEditPartner } from '../../common/access/partner-access';
import { Principal } from '../../common/auth/principal';
import { assertIfMatch } from '../../common/http/if-match';
import { decodeCursor, Page, toPage } from '../../common/http/pagination';
import { ProblemException } from '../../common/problem/problem.exception';
import { CreatePartnerDto, PartnerListQuery, PartnerView, UpdatePartnerDto } from './dto/partner.dto';
import { PartnerFields, PartnerRecord, PartnersRepository } from './partners.repository';

type NameCursor = [string, string];
const isNameCursor = (v: unknown): v is NameCursor => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string');

@Injectable()
export class PartnersService {
  constructor(private readonly repo: PartnersRepository) {}

  static view(p: PartnerRecord): PartnerView {
    return { id: p.id, name: p.name, kind: p.kind, contact: p.contact, active: p.active, deactivatedReason: p.deactivatedReason, version: p.version };
  }

  async list(caller: Principal, q: PartnerListQuery): Promise<Page<PartnerView>> {
    const limit = q.limit ?? 50;
    const rows = await this.repo.list({
      visibleTo: caller,
      active: q.active,
      after: q.cursor ? decodeCursor(q.cursor, isNameCursor) : undefined,
      limit: limit + 1,
    });
    return toPage(rows.map(PartnersService.view), limit, (last) => [last.name.fi, last.id]);
  }

  async get(caller: Principal, id: string): Promise<PartnerView> {
    return PartnersService.view(await this.findVisible(caller, id));
  }

  /** Admins only (the controller's role check). */
  async create(caller: Principal, dto: CreatePartnerDto): Promise<PartnerView> {
    const active = dto.active ?? true;
    const id = await this.repo.insert({
      name: { fi: dto.name.fi, sv: dto.name.sv ?? dto.name.fi, en: dto.name.en ?? dto.name.fi },
      kind: dto.kind,
      contact: { email: dto.contact?.email ?? null, phone: dto.contact?.phone ?? null },
      active,
      deactivatedReason: null,
    });
    return this.get(caller, id);
  }

  /**
   * Admins change everything; the partner's own users its contact details. `active: false`
   * records the reason; reactivating (admins) clears it.
   */
  async update(caller: Principal, id: string, dto: UpdatePartnerDto, ifMatch?: string): Promise<PartnerView> {
    const current = await this.findVisible(caller, id);
    const changed = Object.keys(dto).filter((k) => dto[k as keyof UpdatePartnerDto] !== undefined);
    assertMayEditPartner(caller, changed);
    const active = dto.active ?? current.active;
    if (dto.reason !== undefined && dto.reason !== null && active) {
      throw ProblemException.validation('reason', 'only-when-deactivating', 'A reason goes with active: false.');
    }
    const next: PartnerFields = {
      name: dto.name ? { fi: dto.name.fi, sv: dto.name.sv ?? dto.name.fi, en: dto.name.en ?? dto.name.fi } : current.name,
      kind: dto.kind ?? current.kind,
      contact: {
        email: dto.contact?.email === undefined ? current.contact.email : dto.contact.email,
        phone: dto.contact?.phone === undefined ? current.contact.phone : dto.contact.phone,
      },
      active,
      deactivatedReason: active ? null : dto.reason === undefined ? current.deactivatedReason : dto.reason,
    };
    assertIfMatch(ifMatch, current.version);
    await this.repo.transaction(async (m) => {
      // The version in WHERE makes a concurrent edit fail instead of being overwritten.
      if (!(await this.repo.update(m, id, current.version, next))) {
        throw new ProblemException('version-mismatch', 'The partner changed while you edited it.');
      }
      // What a deactivation (current.active && !next.active) ends besides, the partner's claims
      // (partner-claims.port.ts), belongs here: in this transaction, committed or undone with it.
    });
    return this.get(caller, id);
  }

  /** The partner if the caller may see it; 404 otherwise (also for unknown ids). */
  async findVisible(caller: Principal, id: string): Promise<PartnerRecord> {
    return assertCanSeePartner(caller, await this.repo.findById(id));
  }
}
