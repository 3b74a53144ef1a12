/**
 * The web client as delivered: hashed assets cached for a year and marked immutable, the shell
 * revalidated, and each text asset sent in the smallest encoding the browser accepts from the
 * copies the build wrote beside it (brotli, then gzip, else as is), with `Vary: Accept-Encoding`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { startTestDesk, type TestDesk } from '../support/desk.js';
import { rawRequest } from '../support/raw-http.js';

const script = Buffer.from(`console.log(${JSON.stringify('the desk '.repeat(400))});\n`);
const asset = '/assets/index-Dx81aQ2b.js';
const immutable = 'public, max-age=31536000, immutable';

describe.each(databaseKinds)('Client delivery on %s database', (kind) => {
  let desk: TestDesk;
  let clientDir: string;
  beforeAll(async () => {
    clientDir = mkdtempSync(path.join(tmpdir(), 'desk-client-'));
    mkdirSync(path.join(clientDir, 'assets'));
    writeFileSync(path.join(clientDir, 'index.html'), `<!doctype html><script type="module" src="${asset}"></script>`);
    writeFileSync(path.join(clientDir, asset), script);
    writeFileSync(path.join(clientDir, `${asset}.br`), brotliCompressSync(script));
    writeFileSync(path.join(clientDir, `${asset}.gz`), gzipSync(script));
    // An asset the build left uncompressed (too small to gain), and a file outside assets/.
    writeFileSync(path.join(clientDir, 'assets', 'tiny-B2c3.css'), 'a{}');
    writeFileSync(path.join(clientDir, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
    desk = await startTestDesk(kind, { clientDir });
  });
  afterAll(async () => {
    await desk?.stop();
    rmSync(clientDir, { recursive: true, force: true });
  });

  it('When the browser accepts brotli, then the hashed asset comes brotli-encoded, immutable, and decodes to the file', async () => {
    const res = await rawRequest(desk.url, 'GET', asset, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(res.headers['cache-control']).toBe(immutable);
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(Number(res.headers['content-length'])).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(res.bytes).equals(script)).toBe(true);
  });

  it('When the browser accepts gzip only, or refuses brotli with q=0, then the gzip copy comes', async () => {
    for (const acceptEncoding of ['gzip', 'br;q=0, gzip;q=0.8']) {
      const res = await rawRequest(desk.url, 'GET', asset, { headers: { 'accept-encoding': acceptEncoding } });
      expect(res.headers['content-encoding'], acceptEncoding).toBe('gzip');
      expect(gunzipSync(res.bytes).equals(script), acceptEncoding).toBe(true);
    }
  });

  it('When the browser accepts no encoding, then the file comes as it is, still immutable', async () => {
    const choices: Record<string, string>[] = [
      {},
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'br;q=0, gzip;q=0' },
    ];
    for (const headers of choices) {
      const res = await rawRequest(desk.url, 'GET', asset, { headers });
      expect(res.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
      expect(res.bytes.equals(script), JSON.stringify(headers)).toBe(true);
      expect(res.headers['cache-control']).toBe(immutable);
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    }
  });

  it('When HEAD asks for the asset, then the headers are those of GET with no body', async () => {
    const res = await rawRequest(desk.url, 'HEAD', asset, { headers: { 'accept-encoding': 'br' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.bytes.length).toBe(0);
  });

  it('When an asset has no compressed copy, then it comes as it is; files outside assets/ and the shell are revalidated', async () => {
    const tiny = await rawRequest(desk.url, 'GET', '/assets/tiny-B2c3.css', { headers: { 'accept-encoding': 'br' } });
    expect(tiny.status).toBe(200);
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body).toBe('a{}');
    expect(tiny.headers['cache-control']).toBe(immutable);
    const robots = await rawRequest(desk.url, 'GET', '/robots.txt');
    expect(robots.headers['cache-control']).toBe('no-cache');
    for (const shell of ['/', '/applications', '/applications/123/show']) {
      const res = await rawRequest(desk.url, 'GET', shell, { headers: { 'accept-encoding': 'br' } });
      expect(res.status, shell).toBe(200);
      expect(res.body, shell).toContain(asset);
      expect(res.headers['cache-control'], shell).toBe('no-cache');
    }
  });

  it('When paths around the assets are asked for, then nothing outside the build is served and no copy is guessed', async () => {
    for (const hostile of [
      `${asset}.map`,
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/missing-0000.js',
    ]) {
      const res = await rawRequest(desk.url, 'GET', hostile, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(res.status, hostile).toBe(404);
      expect(res.headers['content-encoding'], hostile).toBeUndefined();
    }
  });
});
