/**
 * Guessing keys or tokens: each client may fail authentication `limit` times a minute; after that
 * every request it makes is a 429 until its minute is over. Only failures count, and only once
 * they are known. (express-rate-limit counts a request as it arrives and takes a success back
 * when it ends, so a client with more than `limit` requests in flight at once — a reverse proxy,
 * a busy integration — was refused though none of them failed.)
 */
import type { RequestHandler } from 'express';
import { ApiError } from './errors';

const WINDOW_MS = 60_000;
/** Past this many clients with failures on record, expired records are swept on the next failure. */
const SWEEP_AT = 10_000;

export function authFailureLimit(limit: number): RequestHandler {
  const failures = new Map<string, { count: number; resetAt: number }>();
  const record = (client: string) => {
    const now = Date.now();
    if (failures.size >= SWEEP_AT)
      for (const [key, entry] of failures) if (entry.resetAt <= now) failures.delete(key);
    const entry = failures.get(client);
    if (!entry || entry.resetAt <= now) failures.set(client, { count: 1, resetAt: now + WINDOW_MS });
    else entry.count += 1;
  };
  return (req, res, next) => {
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const now = Date.now();
    const entry = failures.get(client);
    const current = entry && entry.resetAt > now ? entry : null;
    // RateLimit headers (draft-ietf-httpapi-ratelimit-headers-08), as the link routes send them.
    res.setHeader('RateLimit-Policy', `"auth-failures";q=${limit};w=${WINDOW_MS / 1000}`);
    res.setHeader(
      'RateLimit',
      `"auth-failures";r=${Math.max(0, limit - (current?.count ?? 0))};t=${Math.ceil(((current?.resetAt ?? now + WINDOW_MS) - now) / 1000)}`,
    );
    if (current && current.count >= limit) {
      next(
        new ApiError(
          429,
          'AUTH_RATE_LIMITED',
          'too many failed authentications from this client; wait a minute',
        ),
      );
      return;
    }
    res.on('finish', () => {
      if (res.statusCode === 401) record(client);
    });
    next();
  };
}
