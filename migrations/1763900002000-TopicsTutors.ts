import { MigrationInterface, QueryRunner } from 'typeorm';

/** The seeded catalogue: slugs are identifiers (API clients and bookings refer to them), never renamed. */
const TOPICS: { slug: string; fi: string; sv: string; en: string }[] = [
  { slug: 'smartphone-tablet', fi: 'Älypuhelin ja tabletti', sv: 'Smarttelefon och surfplatta', en: 'Smartphone and tablet' },
  { slug: 'computer-basics', fi: 'Tietokoneen perustaidot', sv: 'Datorns grunder', en: 'Computer basics' },
  { slug: 'email', fi: 'Sähköposti', sv: 'E-post', en: 'Email' },
  { slug: 'online-banking', fi: 'Verkkopankki ja vahva tunnistautuminen', sv: 'Nätbank och stark autentisering', en: 'Online banking and strong identification' },
  { slug: 'suomi-fi', fi: 'Suomi.fi-palvelut ja valtuudet', sv: 'Suomi.fi-tjänster och fullmakter', en: 'Suomi.fi services and authorisations' },
  { slug: 'omakanta', fi: 'OmaKanta ja sähköiset terveyspalvelut', sv: 'MittKanta och e-hälsotjänster', en: 'OmaKanta and e-health services' },
  { slug: 'kela', fi: 'Kelan asiointipalvelu', sv: 'FPA:s e-tjänst', en: 'Kela e-services' },
  { slug: 'taxes', fi: 'OmaVero ja verotus', sv: 'MinSkatt och beskattning', en: 'OmaVero and taxes' },
  { slug: 'video-calls', fi: 'Videopuhelut', sv: 'Videosamtal', en: 'Video calls' },
  { slug: 'security-scams', fi: 'Tietoturva ja huijaukset', sv: 'Datasäkerhet och bedrägerier', en: 'Security and scams' },
  { slug: 'library-e-services', fi: 'Kirjaston e-palvelut', sv: 'Bibliotekets e-tjänster', en: 'Library e-services' },
  { slug: 'digital-photos', fi: 'Digikuvat', sv: 'Digitala foton', en: 'Digital photos' },
  { slug: 'public-transport-apps', fi: 'Joukkoliikenteen sovellukset', sv: 'Kollektivtrafikens appar', en: 'Public transport apps' },
  { slug: 'online-shopping', fi: 'Verkko-ostokset', sv: 'Näthandel', en: 'Online shopping' },
  { slug: 'social-media', fi: 'Sosiaalinen media', sv: 'Sociala medier', en: 'Social media' },
];

/**
 * Help topics (seeded), tutors with their branches, topics and languages, weekly availability
 * rules and absences. PostgreSQL enforces shapes, ranges and that a tutor's rules never overlap
 * in time, across all their branches (EXCLUDE with btree_gist).
 */
export class TopicsTutors1763900002000 implements MigrationInterface {
  name = 'TopicsTutors1763900002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE topics (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 60),
        name_fi text NOT NULL CHECK (length(name_fi) BETWEEN 1 AND 100),
        name_sv text NOT NULL CHECK (length(name_sv) BETWEEN 1 AND 100),
        name_en text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
        sort_order integer NOT NULL DEFAULT 1000 CHECK (sort_order BETWEEN 0 AND 100000),
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX topics_slug_key ON topics (slug)`);
    await q.query(`CREATE INDEX topics_order_idx ON topics (sort_order, slug)`);
    const values = TOPICS.map((_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`).join(', ');
    await q.query(
      `INSERT INTO topics (slug, name_fi, name_sv, name_en, sort_order) VALUES ${values}`,
      TOPICS.flatMap((t, i) => [t.slug, t.fi, t.sv, t.en, (i + 1) * 10]),
    );

    // partner_id stays a plain uuid until the partners module adds its table and the foreign key.
    await q.query(`
      CREATE TABLE tutors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
        kind text NOT NULL CHECK (kind IN ('staff', 'volunteer', 'advisor')),
        partner_id uuid,
        email text CHECK (email IS NULL OR (email = lower(email) AND length(email) <= 254)),
        phone text CHECK (phone IS NULL OR phone ~ '^\\+[1-9][0-9]{6,14}$'),
        languages text[] NOT NULL CHECK (
          cardinality(languages) BETWEEN 1 AND 30
          AND array_position(languages, NULL) IS NULL
          AND array_to_string(languages, ',') ~ '^[a-z]{2}(,[a-z]{2})*$'),
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tutors_advisor_has_partner CHECK ((kind = 'advisor') = (partner_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX tutors_name_idx ON tutors (display_name, id)`);
    await q.query(`CREATE INDEX tutors_languages_idx ON tutors USING gin (languages)`);
    await q.query(`CREATE INDEX tutors_partner_idx ON tutors (partner_id) WHERE partner_id IS NOT NULL`);

    // Deleting a branch ends the memberships there (and, through them, the rules there).
    await q.query(`
      CREATE TABLE tutor_locations (
        tutor_id uuid NOT NULL REFERENCES tutors (id) ON DELETE CASCADE,
        location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tutor_id, location_id)
      )`);
    await q.query(`CREATE INDEX tutor_locations_location_idx ON tutor_locations (location_id, tutor_id)`);

    await q.query(`
      CREATE TABLE tutor_topics (
        tutor_id uuid NOT NULL REFERENCES tutors (id) ON DELETE CASCADE,
        topic_id uuid NOT NULL REFERENCES topics (id),
        PRIMARY KEY (tutor_id, topic_id)
      )`);
    await q.query(`CREATE INDEX tutor_topics_topic_idx ON tutor_topics (topic_id, tutor_id)`);

    // Weekly rules in local wall-clock minutes after midnight (1440 = 24:00, only as an end).
    // A rule belongs to a membership: it exists only while the tutor works at that branch. The
    // exclusion constraint keeps a tutor's rules apart across ALL their branches, so two
    // concurrent PUTs for different branches cannot both store clashing rules.
    await q.query(`
      CREATE TABLE availability_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tutor_id uuid NOT NULL,
        location_id uuid NOT NULL,
        weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        start_minute integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
        end_minute integer NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
        session_minutes integer NOT NULL CHECK (session_minutes BETWEEN 5 AND 240),
        buffer_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 120),
        valid_from date NOT NULL,
        valid_until date,
        CONSTRAINT availability_rules_membership FOREIGN KEY (tutor_id, location_id)
          REFERENCES tutor_locations (tutor_id, location_id) ON DELETE CASCADE,
        CONSTRAINT availability_rules_order CHECK (start_minute < end_minute),
        CONSTRAINT availability_rules_session_fits CHECK (session_minutes <= end_minute - start_minute),
        CONSTRAINT availability_rules_validity CHECK (valid_until IS NULL OR valid_from <= valid_until),
        CONSTRAINT availability_rules_no_overlap EXCLUDE USING gist (
          tutor_id WITH =,
          weekday WITH =,
          int4range(start_minute, end_minute) WITH &&,
          daterange(valid_from, valid_until, '[]') WITH &&)
      )`);
    await q.query(`CREATE INDEX availability_rules_tutor_location_idx ON availability_rules (tutor_id, location_id)`);
    await q.query(`CREATE INDEX availability_rules_location_idx ON availability_rules (location_id)`);

    await q.query(`
      CREATE TABLE tutor_absences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tutor_id uuid NOT NULL REFERENCES tutors (id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        reason text CHECK (reason IS NULL OR length(reason) <= 500),
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tutor_absences_order CHECK (starts_at < ends_at),
        CONSTRAINT tutor_absences_length CHECK (ends_at - starts_at <= interval '366 days')
      )`);
    // The slot search asks "absences of these tutors overlapping this window".
    await q.query(`CREATE INDEX tutor_absences_during_idx ON tutor_absences USING gist (tutor_id, tstzrange(starts_at, ends_at))`);
    await q.query(`CREATE INDEX tutor_absences_list_idx ON tutor_absences (tutor_id, starts_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tutor_absences`);
    await q.query(`DROP TABLE availability_rules`);
    await q.query(`DROP TABLE tutor_topics`);
    await q.query(`DROP TABLE tutor_locations`);
    await q.query(`DROP TABLE tutors`);
    await q.query(`DROP TABLE topics`);
  }
}
