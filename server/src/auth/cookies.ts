/**
 * The desk's cookies, all HttpOnly, SameSite=Strict and Secure over HTTPS:
 * - `desk_session`, path-wide: the session token;
 * - `desk_device`, only on the sign-in routes: the trusted-device token (`trusted-devices.ts`),
 *   kept across sign-outs so the browser stays trusted for its owner's account;
 * - `desk_sign_in`, only on the sign-in routes: a sign-in whose second step is owed
 *   (`sign-in-challenges.ts`);
 * - `desk_sso`, only on the sign-in routes: a single sign-on gone to the identity provider
 *   (`oidc.ts`). The provider sends the browser back to a page of the web client, which posts
 *   the answer from this origin, so SameSite=Strict holds here too.
 */
import type { Request, Response } from 'express';
import { deviceTokenPattern, deviceTrustSeconds } from './trusted-devices.js';

export const sessionCookieName = 'desk_session';
export const deviceCookieName = 'desk_device';
export const challengeCookieName = 'desk_sign_in';
export const ssoCookieName = 'desk_sso';
const devicePath = '/api/auth';

/** A cookie's value when present and shaped as expected; anything else is as good as absent. */
function readCookie(req: Request, name: string, shape: RegExp): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return shape.test(value) ? value : null;
    }
  }
  return null;
}

export function readSessionCookie(req: Request): string | null {
  return readCookie(req, sessionCookieName, /^[A-Za-z0-9_-]{20,100}$/);
}

export function setSessionCookie(req: Request, res: Response, token: string, maxAgeSeconds: number): void {
  res.cookie(sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(sessionCookieName, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' });
}

export function readDeviceCookie(req: Request): string | null {
  return readCookie(req, deviceCookieName, deviceTokenPattern);
}

/** Set after every successful sign-in, after the session cookie (simple clients read only the first Set-Cookie). */
export function setDeviceCookie(req: Request, res: Response, token: string): void {
  res.cookie(deviceCookieName, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: devicePath,
    maxAge: deviceTrustSeconds * 1000,
  });
}

const tokenShape = /^[A-Za-z0-9_-]{20,100}$/;

export function readChallengeCookie(req: Request): string | null {
  return readCookie(req, challengeCookieName, tokenShape);
}

export function setChallengeCookie(req: Request, res: Response, token: string, maxAgeSeconds: number): void {
  res.cookie(challengeCookieName, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: devicePath,
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearChallengeCookie(req: Request, res: Response): void {
  res.clearCookie(challengeCookieName, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: devicePath });
}

export function readSsoCookie(req: Request): string | null {
  return readCookie(req, ssoCookieName, tokenShape);
}

export function setSsoCookie(req: Request, res: Response, token: string, maxAgeSeconds: number): void {
  res.cookie(ssoCookieName, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: devicePath,
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearSsoCookie(req: Request, res: Response): void {
  res.clearCookie(ssoCookieName, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: devicePath });
}
