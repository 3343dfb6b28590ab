/**
 * Normalises a phone number to E.164, reading numbers without a country code as Finnish:
 * "040 123 4567" → "+358401234567", "00358 40 123 4567" → "+358401234567",
 * "+46 70-123 45 67" → "+46701234567". Returns undefined for anything that is not a phone number.
 */
export function normalizePhone(input: string): string | undefined {
  const trimmed = input.trim();
  if (!/^\+?[0-9 ()./-]+$/.test(trimmed)) return undefined;
  let digits = trimmed.replace(/[ ()./-]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = '358' + digits.slice(1);
  else return undefined;
  const e164 = '+' + digits;
  if (!/^\+[1-9][0-9]{6,14}$/.test(e164)) return undefined;
  // A Finnish number has 5 to 12 digits after the country code.
  if (e164.startsWith('+358') && !/^\+358[1-9][0-9]{4,11}$/.test(e164)) return undefined;
  return e164;
}
