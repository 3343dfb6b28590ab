import { advisoryLockKey, BookingSecrets, canonicalJson, isTokenShaped, requestHash } from './secrets';

const SECRET = 'a-test-secret-that-is-long-enough-000000';

describe('BookingSecrets', () => {
  const secrets = new BookingSecrets(SECRET);

  it('makes 256-bit base64url manage tokens and stores only a keyed hash', () => {
    const a = secrets.newManageToken();
    const b = secrets.newManageToken();
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toHaveLength(32);
    expect(a.hash.toString('hex')).not.toContain(Buffer.from(a.token, 'base64url').toString('hex'));
    expect(secrets.hashToken(a.token)).toEqual(a.hash);
    // The hash depends on the secret.
    expect(new BookingSecrets(SECRET + 'x').hashToken(a.token)).not.toEqual(a.hash);
  });

  it('matches tokens only exactly, and refuses anything not shaped like one', () => {
    const { token, hash } = secrets.newManageToken();
    expect(secrets.tokenMatches(hash, token)).toBe(true);
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    expect(secrets.tokenMatches(hash, flipped)).toBe(false);
    expect(secrets.tokenMatches(hash, token + 'A')).toBe(false);
    expect(secrets.tokenMatches(null, token)).toBe(false);
    expect(secrets.tokenMatches(hash, undefined)).toBe(false);
    expect(secrets.hashToken('../../etc/passwd')).toBeUndefined();
    expect(isTokenShaped('x'.repeat(43))).toBe(true);
    expect(isTokenShaped('x'.repeat(42))).toBe(false);
    expect(isTokenShaped('x'.repeat(42) + '=')).toBe(false);
  });

  it('encrypts stored responses with AES-256-GCM bound to their key', () => {
    const plain = JSON.stringify({ manageToken: 'secret-token', id: 1 });
    const box = secrets.encrypt(plain, 'key-1');
    expect(box.toString('utf8')).not.toContain('secret-token');
    expect(secrets.decrypt(box, 'key-1')).toBe(plain);
    expect(secrets.encrypt(plain, 'key-1').equals(box)).toBe(false); // fresh IV each time
    expect(() => secrets.decrypt(box, 'key-2')).toThrow();
    expect(() => new BookingSecrets(SECRET + 'x').decrypt(box, 'key-1')).toThrow();
    const tampered = Buffer.from(box);
    tampered[tampered.length - 1] ^= 1;
    expect(() => secrets.decrypt(tampered, 'key-1')).toThrow();
  });

  it('digests contacts without showing them', () => {
    const d = secrets.contactDigest('+358401234567');
    expect(d).not.toContain('358401234567');
    expect(d).toBe(secrets.contactDigest('+358401234567'));
    expect(d).not.toBe(secrets.contactDigest('+358401234568'));
  });
});

describe('hashing requests and lock keys', () => {
  it('ignores key order and undefined members, but not values', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
    expect(requestHash({ a: 1, b: 2 })).toEqual(requestHash({ b: 2, a: 1 }));
    expect(requestHash({ a: 1, b: 2 })).not.toEqual(requestHash({ a: 1, b: 3 }));
    expect(requestHash({ a: null })).not.toEqual(requestHash({}));
  });

  it('gives the same hashes and lock keys as before: stored request hashes and held locks stay valid across versions', () => {
    // Values from the implementation before canonicalJson and the hashes were rewritten for speed.
    const v = { route: 'POST /bookings', body: { z: 'ä', B: [1, undefined, { y: null, x: 'q"' }], a: undefined, é: true, '': 0 } };
    expect(canonicalJson(v)).toBe('{"body":{"":0,"B":[1,null,{"x":"q\\"","y":null}],"z":"ä","é":true},"route":"POST /bookings"}');
    expect(requestHash(v).toString('hex')).toBe('7ca3af802a48cd9f623d6e74451460021041ed4808c76ecc7a546c6a2f67097c');
    expect(advisoryLockKey('contact', 'phone:+358401234567')).toBe('-2784660404523825905');
  });

  it('gives signed 64-bit lock keys that differ by namespace', () => {
    const k = advisoryLockKey('contact', '+358401234567');
    expect(BigInt(k) >= -(2n ** 63n) && BigInt(k) < 2n ** 63n).toBe(true);
    expect(k).toBe(advisoryLockKey('contact', '+358401234567'));
    expect(k).not.toBe(advisoryLockKey('idempotency', '+358401234567'));
  });
});
