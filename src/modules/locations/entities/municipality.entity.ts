import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Finnish municipality by its official 3-digit code (seeded by the Locations migration). */
@Entity('municipalities')
export class MunicipalityEntity {
  @PrimaryColumn('text')
  code: string;

  @Column('text', { name: 'name_fi' })
  nameFi: string;

  @Column('text', { name: 'name_sv' })
  nameSv: string;
}
