import { normalizePhone } from './phone';

describe('normalizePhone', () => {
  it.each([
    ['040 123 4567', '+358401234567'],
    ['040-1234567', '+358401234567'],
    ['+358 40 123 4567', '+358401234567'],
    ['00358401234567', '+358401234567'],
    ['(09) 310 85000', '+358931085000'],
    ['+46 70-123 45 67', '+46701234567'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each(['', 'abc', '12345', '401234567', '+0 123 4567', '0', '+358 0401234567', '040 123 4567 ext 5', '+1234567890123456'])(
    'rejects %p',
    (input) => {
      expect(normalizePhone(input)).toBeUndefined();
    },
  );
});
