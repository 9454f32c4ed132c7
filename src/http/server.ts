import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';

/** A listening HTTP server. */
export interface HttpServer {
  /** Base URL with the real port (useful when asked for port 0). */
  url: string;
  close: () => Promise<void>;
}

/** Serves `app` on host:port; resolves once listening, rejects if the port cannot be bound. */
export function startHttpServer(options: { app: Hono<AppEnv>; host: string; port: number }): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: options.app.fetch, hostname: options.host, port: options.port },
      (info: AddressInfo) => {
        server.off('error', reject);
        const host = info.address.includes(':') ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((error) => (error ? fail(error) : done()));
              // Keep-alive connections would otherwise hold close() open until they time out.
              if ('closeIdleConnections' in server) server.closeIdleConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
