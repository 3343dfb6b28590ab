import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chooseEncoding, stylesheet } from './stylesheet';

describe('stylesheet encodings', () => {
  it('prefers br, then gzip, and honours q=0', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip, br;q=0')).toBe('gzip');
    expect(chooseEncoding('GZIP;q=0.5')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('gzip');
    expect(chooseEncoding('gzip;q=0, br;q=0.0')).toBeUndefined();
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });

  it('compresses the very body it serves uncompressed', () => {
    const css = stylesheet();
    expect(gunzipSync(css.encoded.gzip).toString('utf8')).toBe(css.body);
    expect(brotliDecompressSync(css.encoded.br).toString('utf8')).toBe(css.body);
    expect(css.encoded.br.length).toBeLessThan(css.body.length / 4);
  });
});
