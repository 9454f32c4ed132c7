export { createApp } from './app.ts';
export { startHttpServer, type HttpServer } from './server.ts';
