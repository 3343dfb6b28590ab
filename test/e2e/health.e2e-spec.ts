import { startTestApp } from '../support/test-app';

describe('health and docs', () => {
  it('live and ready answer 200, ready turns 503 when the database is gone', async () => {
    const t = await startTestApp();
    try {
      await t.http.get('/health/live').expect(200, { status: 'ok' });
      await t.http.get('/health/ready').expect(200);
      await t.database.drop(); // terminates the app's connections and removes the database
      const res = await t.http.get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.type).toBe('/problems/service-unavailable');
      await t.http.get('/health/live').expect(200);
    } finally {
      await t.app.close();
    }
  });

  it('serves the OpenAPI document with every route and its problem responses', async () => {
    const t = await startTestApp();
    try {
      const doc = await t.http.get('/api/docs.json').expect(200);
      const paths = Object.keys(doc.body.paths);
      expect(paths).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/auth/me', '/api/v1/users', '/api/v1/users/{id}', '/health/ready', '/problems/{code}']));
      for (const [path, item] of Object.entries<Record<string, { responses: Record<string, unknown>; security: unknown[] }>>(doc.body.paths)) {
        for (const [method, op] of Object.entries(item)) {
          expect([path, method, Object.keys(op.responses)]).toEqual([path, method, expect.arrayContaining(['400', '404', '422', '500'])]);
        }
      }
      expect(doc.body.paths['/api/v1/users'].get.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(doc.body.paths['/api/v1/users'].get.responses)).toEqual(expect.arrayContaining(['401', '403']));
      expect(doc.body.paths['/api/v1/auth/login'].post.security).toEqual([]);
      const ui = await t.http.get('/api/docs');
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
    } finally {
      await t.close();
    }
  });
});
