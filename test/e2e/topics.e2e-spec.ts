import { newTopic, newUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;

interface TopicBody {
  id: string;
  slug: string;
  name: { fi: string; sv: string; en: string };
  sortOrder: number;
  active: boolean;
  version: number;
}

describe('topics', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await newUser(t);
  });
  afterAll(() => t.close());

  const slugs = (body: { items: TopicBody[] }) => body.items.map((i) => i.slug);

  it('anyone lists the seeded catalogue with fi/sv/en names, in catalogue order', async () => {
    const res = await t.http.get('/api/v1/topics').expect(200);
    expect(res.body.nextCursor).toBeNull();
    expect(slugs(res.body).slice(0, 4)).toEqual(['smartphone-tablet', 'computer-basics', 'email', 'online-banking']);
    expect(slugs(res.body)).toEqual(
      expect.arrayContaining(['suomi-fi', 'omakanta', 'kela', 'taxes', 'video-calls', 'security-scams', 'library-e-services', 'digital-photos', 'public-transport-apps']),
    );
    const banking = res.body.items.find((i: TopicBody) => i.slug === 'online-banking');
    expect(banking).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      slug: 'online-banking',
      name: { fi: 'Verkkopankki ja vahva tunnistautuminen', sv: 'Nätbank och stark autentisering', en: 'Online banking and strong identification' },
      description: {
        fi: 'Verkkopankin ja pankkisovelluksen käyttö sekä tunnistautuminen palveluihin.',
        sv: 'Att använda nätbanken och bankappen och att identifiera sig i tjänster.',
        en: 'Using online banking and your bank’s app, and identifying yourself to services.',
      },
      sortOrder: 40,
      active: true,
      version: 1,
    });
    for (const item of res.body.items) {
      expect(item.name.fi.length && item.name.sv.length && item.name.en.length).toBeTruthy();
      expect(item.description.fi.length && item.description.sv.length && item.description.en.length).toBeTruthy();
    }
    expect(res.body.items.find((i: TopicBody) => i.slug === 'smartphone-tablet').name.fi).toBe('Älypuhelin ja tabletti');
  });

  it('pages with limit and cursor, without repeats or gaps', async () => {
    const all = slugs((await t.http.get('/api/v1/topics').expect(200)).body);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: TopicBody[]; nextCursor: string | null } } = await t.http
        .get('/api/v1/topics')
        .query(cursor ? { limit: 4, cursor } : { limit: 4 })
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...slugs(res.body));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await t.http.get('/api/v1/topics').query({ limit: 501 })).status).toBe(422);
    const badCursor = await t.http.get('/api/v1/topics').query({ cursor: 'bm90LWEtY3Vyc29y' });
    expect(badCursor.status).toBe(422);
    expect(badCursor.body.errors[0].field).toBe('cursor');
  });

  it('admin creates a topic (201 + ETag); everyone sees it; a taken slug is 409', async () => {
    const body = { slug: 'ai-tools', name: { fi: 'Tekoälytyökalut', sv: 'AI-verktyg', en: 'AI tools' }, sortOrder: 500 };
    const created = await t.http.post('/api/v1/topics').set(admin.auth).send(body).expect(201);
    // A topic added without a description has empty ones until an admin writes them.
    expect(created.body).toEqual({ id: expect.any(String), ...body, description: { fi: '', sv: '', en: '' }, active: true, version: 1 });
    expect(created.headers.etag).toBe('"1"');
    const list = await t.http.get('/api/v1/topics').expect(200);
    expect(slugs(list.body)).toContain('ai-tools');
    const one = await t.http.get(`/api/v1/topics/${created.body.id}`).expect(200);
    expect(one.body.slug).toBe('ai-tools');
    expect(one.headers.etag).toBe('"1"');

    const dup = await t.http.post('/api/v1/topics').set(admin.auth).send({ ...body, name: { fi: 'Toinen', sv: 'Annan', en: 'Other' } });
    expect(dup.status).toBe(409);
    expect(dup.headers['content-type']).toMatch(PROBLEM);
    expect(dup.body.type).toBe('/problems/already-exists');
    const seeded = await t.http.post('/api/v1/topics').set(admin.auth).send({ ...body, slug: 'email' });
    expect(seeded.status).toBe(409);
  });

  it('rejects bad topics with 422 by field and stores nothing', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM topics'))[0].n;
    const cases: [Record<string, unknown>, string][] = [
      [{ slug: 'Iso Kirjain', name: { fi: 'a', sv: 'b', en: 'c' } }, 'slug'],
      [{ slug: 'double--hyphen', name: { fi: 'a', sv: 'b', en: 'c' } }, 'slug'],
      [{ slug: 'x'.repeat(61), name: { fi: 'a', sv: 'b', en: 'c' } }, 'slug'],
      [{ slug: 'no-name' }, 'name'],
      [{ slug: 'no-sv', name: { fi: 'a', en: 'c' } }, 'name.sv'],
      [{ slug: 'blank-fi', name: { fi: '   ', sv: 'b', en: 'c' } }, 'name.fi'],
      [{ slug: 'long-en', name: { fi: 'a', sv: 'b', en: 'e'.repeat(101) } }, 'name.en'],
      [{ slug: 'extra', name: { fi: 'a', sv: 'b', en: 'c', de: 'd' } }, 'name.de'],
      [{ slug: 'order', name: { fi: 'a', sv: 'b', en: 'c' }, sortOrder: -1 }, 'sortOrder'],
      [{ slug: 'surprise', name: { fi: 'a', sv: 'b', en: 'c' }, surprise: true }, 'surprise'],
      [{ slug: 'long-description', name: { fi: 'a', sv: 'b', en: 'c' }, description: { fi: 'd'.repeat(501), sv: '', en: '' } }, 'description.fi'],
      [{ slug: 'half-description', name: { fi: 'a', sv: 'b', en: 'c' }, description: { fi: 'd' } }, 'description.sv'],
    ];
    for (const [body, field] of cases) {
      const res = await t.http.post('/api/v1/topics').set(admin.auth).send(body);
      expect({ field, status: res.status, type: res.body.type }).toEqual({ field, status: 422, type: '/problems/validation-failed' });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await t.db.query('SELECT count(*)::int AS n FROM topics'))[0].n).toBe(before);
  });

  it('admin renames and deactivates with If-Match; a stale ETag is 412; the slug stays', async () => {
    const topic = await newTopic(t, { slug: 'genealogy' });
    const renamed = await t.http
      .patch(`/api/v1/topics/${topic.id}`)
      .set(admin.auth)
      .set('If-Match', '"1"')
      .send({ name: { fi: 'Sukututkimus', sv: 'Släktforskning', en: 'Genealogy' } })
      .expect(200);
    expect(renamed.body).toMatchObject({ slug: 'genealogy', name: { fi: 'Sukututkimus', sv: 'Släktforskning', en: 'Genealogy' }, version: 2 });
    expect(renamed.headers.etag).toBe('"2"');

    const stale = await t.http.patch(`/api/v1/topics/${topic.id}`).set(admin.auth).set('If-Match', '"1"').send({ active: false });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe('/problems/version-mismatch');
    expect((await t.db.query('SELECT active FROM topics WHERE id = $1', [topic.id]))[0].active).toBe(true);

    const slugChange = await t.http.patch(`/api/v1/topics/${topic.id}`).set(admin.auth).send({ slug: 'family-history' });
    expect(slugChange.status).toBe(422);
    expect(slugChange.body.errors[0]).toMatchObject({ field: 'slug', code: 'unknown-field' });

    const off = await t.http.patch(`/api/v1/topics/${topic.id}`).set(admin.auth).set('If-Match', '"2"').send({ active: false }).expect(200);
    expect(off.body).toMatchObject({ active: false, version: 3 });
  });

  it('admin writes a plain-language description; the public list shows it', async () => {
    const topic = await newTopic(t, { slug: 'family-trees' });
    const description = { fi: 'Sukupuun tekeminen verkossa.', sv: 'Att göra ett släktträd på nätet.', en: 'Making a family tree online.' };
    const res = await t.http.patch(`/api/v1/topics/${topic.id}`).set(admin.auth).send({ description }).expect(200);
    expect(res.body).toMatchObject({ slug: 'family-trees', description, version: 2 });
    const list = await t.http.get('/api/v1/topics').query({ limit: 500 }).expect(200);
    expect(list.body.items.find((i: TopicBody) => i.slug === 'family-trees').description).toEqual(description);
    const partner = await t.http.patch(`/api/v1/topics/${topic.id}`).send({ description });
    expect(partner.status).toBe(401);
  });

  it('inactive topics are hidden from the public and shown to admins', async () => {
    const topic = await newTopic(t, { slug: 'retired-topic', active: false });
    const anonymous = await t.http.get('/api/v1/topics').query({ limit: 500 }).expect(200);
    expect(slugs(anonymous.body)).not.toContain('retired-topic');
    expect(anonymous.body.items.every((i: TopicBody) => i.active)).toBe(true);
    await t.http.get(`/api/v1/topics/${topic.id}`).expect(404);

    const staff = await newUser(t, { role: 'staff', locationIds: [] });
    const asStaff = await t.http.get('/api/v1/topics').query({ limit: 500 }).set(staff.auth).expect(200);
    expect(slugs(asStaff.body)).not.toContain('retired-topic');

    const asAdmin = await t.http.get('/api/v1/topics').query({ limit: 500 }).set(admin.auth).expect(200);
    expect(slugs(asAdmin.body)).toContain('retired-topic');
    await t.http.get(`/api/v1/topics/${topic.id}`).set(admin.auth).expect(200);

    // a bad token on the public list leaves the caller anonymous rather than failing
    const badToken = await t.http.get('/api/v1/topics').query({ limit: 500 }).set('Authorization', 'Bearer nonsense').expect(200);
    expect(slugs(badToken.body)).not.toContain('retired-topic');
  });

  it('only admins write: anonymous 401, staff 403; unknown or malformed ids 404', async () => {
    const topic = await newTopic(t);
    const body = { slug: 'not-allowed', name: { fi: 'a', sv: 'b', en: 'c' } };
    const anonymous = await t.http.post('/api/v1/topics').send(body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.type).toBe('/problems/unauthenticated');
    expect((await t.http.patch(`/api/v1/topics/${topic.id}`).send({ active: false })).status).toBe(401);
    const staff = await newUser(t, { role: 'staff', locationIds: [] });
    const forbidden = await t.http.post('/api/v1/topics').set(staff.auth).send(body);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.type).toBe('/problems/forbidden');
    expect((await t.http.patch(`/api/v1/topics/${topic.id}`).set(staff.auth).send({ active: false })).status).toBe(403);
    expect((await t.db.query('SELECT count(*)::int AS n FROM topics WHERE slug = $1', ['not-allowed']))[0].n).toBe(0);

    const unknown = await t.http.patch('/api/v1/topics/7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f').set(admin.auth).send({ active: false });
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe('/problems/not-found');
    await t.http.get('/api/v1/topics/7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f').expect(404);
    await t.http.get('/api/v1/topics/online-banking').expect(404);
  });
});
