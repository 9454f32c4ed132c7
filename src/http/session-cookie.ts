import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** The httpOnly cookie that carries a browser session's token. */
export const sessionCookieName = 'rc_sesion';

const baseOptions = (secure: boolean) => ({ httpOnly: true, sameSite: 'Strict', secure, path: '/' }) as const;

/** Sets the session cookie, expiring with the session. */
export function setSessionCookie(c: Context, token: string, expires: Date, secure: boolean): void {
  setCookie(c, sessionCookieName, token, { ...baseOptions(secure), expires });
}

/** Tells the browser to drop the session cookie. */
export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, sessionCookieName, baseOptions(secure));
}

/** The session token from the cookie, if any. */
export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, sessionCookieName) || undefined;
}
