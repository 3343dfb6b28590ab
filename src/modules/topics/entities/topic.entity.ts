import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

@Entity('topics')
export class TopicEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  slug: string;

  @Column('text', { name: 'name_fi' })
  nameFi: string;

  @Column('text', { name: 'name_sv' })
  nameSv: string;

  @Column('text', { name: 'name_en' })
  nameEn: string;

  @Column('text', { name: 'description_fi', default: '' })
  descriptionFi: string;

  @Column('text', { name: 'description_sv', default: '' })
  descriptionSv: string;

  @Column('text', { name: 'description_en', default: '' })
  descriptionEn: string;

  @Column('integer', { name: 'sort_order', default: 1000 })
  sortOrder: number;

  @Column('boolean', { default: true })
  active: boolean;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
