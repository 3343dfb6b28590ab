import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { partnerScopeSql } from '../../common/access/partner-access';
import type { Principal } from '../../common/auth/principal';
import type { PartnerKind } from './dto/partner.dto';

export interface PartnerFields {
  name: { fi: string; sv: string; en: string };
  kind: PartnerKind;
  contact: { email: string | null; phone: string | null };
  active: boolean;
  deactivatedReason: string | null;
}

export interface PartnerRecord extends PartnerFields {
  id: string;
  version: number;
}

interface PartnerRow {
  id: string;
  name_fi: string;
  name_sv: string;
  name_en: string;
  kind: PartnerKind;
  contact_email: string | null;
  contact_phone: string | null;
  active: boolean;
  deactivated_reason: string | null;
  version: number;
}

const SELECT = `SELECT p.id, p.name_fi, p.name_sv, p.name_en, p.kind, p.contact_email, p.contact_phone, p.active, p.deactivated_reason, p.version FROM partners p`;

const toRecord = (r: PartnerRow): PartnerRecord => ({
  id: r.id,
  name: { fi: r.name_fi, sv: r.name_sv, en: r.name_en },
  kind: r.kind,
  contact: { email: r.contact_email, phone: r.contact_phone },
  active: r.active,
  deactivatedReason: r.deactivated_reason,
  version: r.version,
});

const values = (f: PartnerFields) => [f.name.fi, f.name.sv, f.name.en, f.kind, f.contact.email, f.contact.phone, f.active, f.deactivatedReason];

@Injectable()
export class PartnersRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(work);
  }

  async findById(id: string, m: EntityManager = this.ds.manager): Promise<PartnerRecord | undefined> {
    const rows: PartnerRow[] = await m.query(`${SELECT} WHERE p.id = $1`, [id]);
    return rows[0] && toRecord(rows[0]);
  }

  /** The partners the caller may see, by Finnish name. */
  async list(f: { visibleTo: Principal; active?: boolean; after?: [string, string]; limit: number }): Promise<PartnerRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const visible = partnerScopeSql(f.visibleTo, p);
    if (visible) where.push(visible);
    if (f.active !== undefined) where.push(`p.active = ${p(f.active)}`);
    if (f.after) where.push(`(p.name_fi, p.id) > (${p(f.after[0])}, ${p(f.after[1])}::uuid)`);
    const rows: PartnerRow[] = await this.ds.query(
      `${SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY p.name_fi, p.id LIMIT ${p(f.limit)}`,
      params,
    );
    return rows.map(toRecord);
  }

  async insert(fields: PartnerFields): Promise<string> {
    const rows: { id: string }[] = await this.ds.query(
      `INSERT INTO partners (name_fi, name_sv, name_en, kind, contact_email, contact_phone, active, deactivated_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      values(fields),
    );
    return rows[0].id;
  }

  /** Writes the fields and bumps the version, only if the version is still `version`. */
  async update(m: EntityManager, id: string, version: number, fields: PartnerFields): Promise<boolean> {
    const [, count]: [unknown[], number] = await m.query(
      `UPDATE partners SET name_fi = $3, name_sv = $4, name_en = $5, kind = $6, contact_email = $7, contact_phone = $8, active = $9,
              deactivated_reason = $10, version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2`,
      [id, version, ...values(fields)],
    );
    return count > 0;
  }
}
