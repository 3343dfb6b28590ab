import { involvesManageToken } from './referrer-policy';

describe('involvesManageToken', () => {
  it('names the manage routes and the answers that show a token', () => {
    expect(involvesManageToken('GET', '/api/v1/bookings/manage/abc')).toBe(true);
    expect(involvesManageToken('POST', '/api/v1/bookings/manage/abc/cancel')).toBe(true);
    expect(involvesManageToken('POST', '/api/v1/bookings')).toBe(true);
    expect(involvesManageToken('POST', '/api/v1/bookings/staff?x=1')).toBe(true);
    expect(involvesManageToken('POST', '/api/v1/bookings/7a1f0d4e-2b1c-4c3d-8e9f-0a1b2c3d4e5f/manage-link')).toBe(true);
    expect(involvesManageToken('GET', '/api/v1/bookings')).toBe(false);
    expect(involvesManageToken('GET', '/api/v1/locations')).toBe(false);
  });
});
