/**
 * The built web client: content-hashed assets cached for a year (`immutable`: a new build has
 * new names), everything else revalidated; each text asset sent in the smallest encoding the
 * browser accepts from the copies the build wrote beside it (`.br`, `.gz`), never compressed
 * per request. Source maps are never served (the build makes none).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';
import { AppError } from './app-error.js';

const immutable = 'public, max-age=31536000, immutable';
const revalidate = 'no-cache';

/** Encodings the build writes, best first. */
const encodings = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** The encodings an `Accept-Encoding` header allows (q > 0), by name. */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(name);
  }
  return accepted;
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(path.join(dir, entry.name), `${prefix}/${entry.name}`)
      : [`${prefix}/${entry.name}`],
  );
}

export function clientAssets(clientDir: string): RequestHandler[] {
  // What the build wrote, read once: a request is answered from this list, never by probing
  // the file system with a path it chose.
  const files = new Set(filesUnder(clientDir));
  const isHashedAsset = (urlPath: string) => urlPath.startsWith('/assets/');

  const precompressed: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!files.has(req.path) || req.path.endsWith('.br') || req.path.endsWith('.gz')) return next();
    const accepted = acceptedEncodings(req.get('accept-encoding'));
    const encoding = encodings.find((e) => accepted.has(e.name) && files.has(`${req.path}${e.suffix}`));
    const hasCopies = encodings.some((e) => files.has(`${req.path}${e.suffix}`));
    if (hasCopies) res.vary('Accept-Encoding');
    if (!encoding) return next();
    res.type(path.extname(req.path));
    res.setHeader('Content-Encoding', encoding.name);
    res.setHeader('Cache-Control', isHashedAsset(req.path) ? immutable : revalidate);
    res.sendFile(`${req.path}${encoding.suffix}`, { root: clientDir, dotfiles: 'deny', cacheControl: false }, (err) => {
      if (err) next(err);
    });
  };

  return [
    (req, _res, next) => next(req.path.endsWith('.map') ? AppError.notFound('File') : undefined),
    precompressed,
    express.static(clientDir, {
      index: false,
      cacheControl: false,
      setHeaders: (res, filePath) => {
        const urlPath = `/${path.relative(clientDir, filePath).split(path.sep).join('/')}`;
        res.setHeader('Cache-Control', isHashedAsset(urlPath) ? immutable : revalidate);
      },
    }),
  ];
}

/** The SPA shell: always revalidated, so a new build's asset names reach the browser. */
export function sendClientShell(clientDir: string, res: express.Response): void {
  res.setHeader('Cache-Control', revalidate);
  res.sendFile(path.join(clientDir, 'index.html'), { cacheControl: false });
}
