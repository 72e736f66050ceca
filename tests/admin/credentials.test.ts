import { describe, expect, it } from 'vitest';
import { adminMethod, checkCredentials, sessionKey } from '../../lib/auth/credentials';
import { parseConfig } from '../../lib/config/env';

describe('admin credentials from the environment', () => {
  const tokenCfg = parseConfig({ ADMIN_TOKEN: 'a-long-enough-admin-token' });
  const passwordCfg = parseConfig({ ADMIN_USERNAME: 'quant', ADMIN_PASSWORD: 'correct horse battery' });

  it('accepts exactly the configured token', () => {
    expect(adminMethod(tokenCfg)).toBe('token');
    expect(checkCredentials(tokenCfg, { token: 'a-long-enough-admin-token' })).toBe(true);
    expect(checkCredentials(tokenCfg, { token: 'a-long-enough-admin-toke' })).toBe(false);
    expect(checkCredentials(tokenCfg, {})).toBe(false);
  });

  it('accepts exactly the configured username and password', () => {
    expect(adminMethod(passwordCfg)).toBe('password');
    expect(checkCredentials(passwordCfg, { username: 'quant', password: 'correct horse battery' })).toBe(true);
    expect(checkCredentials(passwordCfg, { username: 'quant', password: 'wrong' })).toBe(false);
    expect(checkCredentials(passwordCfg, { username: 'other', password: 'correct horse battery' })).toBe(false);
  });

  it('is closed to everyone when nothing is configured', () => {
    const none = parseConfig({});
    expect(adminMethod(none)).toBe('disabled');
    expect(checkCredentials(none, { token: '' })).toBe(false);
    expect(sessionKey(none)).toBeNull();
  });

  it('derives a 256-bit session key that changes with the credentials', () => {
    const key = sessionKey(tokenCfg)!;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionKey(parseConfig({ ADMIN_TOKEN: 'another-long-admin-token' }))).not.toBe(key);
    expect(key).not.toContain('a-long-enough-admin-token');
  });
});
