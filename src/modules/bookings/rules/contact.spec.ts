import { isE164, normalizeEmail, normalizePhone } from './contact';

describe('normalizePhone', () => {
  it.each([
    ['040 123 4567', '+358401234567'],
    ['0401234567', '+358401234567'],
    ['040-123 4567', '+358401234567'],
    ['+358 40 123 4567', '+358401234567'],
    ['00358 40 123 4567', '+358401234567'],
    ['(09) 123 4567', '+35891234567'],
    ['050 765 4321', '+358507654321'],
    ['+46 70-123 45 67', '+46701234567'],
  ])('reads %s as %s', (input, e164) => {
    expect(normalizePhone(input)).toBe(e164);
  });

  it.each(['', '123', '040 123', '+3581', 'abc', '040 123 4567 ext 5', '+358 40 123 4567 8901 2345', '040😀1234567', '1'.repeat(41)])(
    'refuses %p',
    (input) => {
      expect(normalizePhone(input)).toBeUndefined();
    },
  );

  it('knows the E.164 form it gives', () => {
    expect(isE164('+358401234567')).toBe(true);
    expect(isE164('040 123 4567')).toBe(false);
    expect(isE164('+3581')).toBe(false);
    expect(isE164(358401234567)).toBe(false);
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Aino.Virtanen@Example.FI ')).toBe('aino.virtanen@example.fi');
  });
});
