export { createApp } from './app.ts';
export type { AppOptions, MixiteApp } from './app.ts';
export { startServer, demarrer, importDemoIfEmpty, DEFAULT_PORT, DEFAULT_HOST } from './start.ts';
export type { StartOptions, RunningServer } from './start.ts';
export { buildWeb, ensureWebBuild, webBuildIsStale, WEB_DIR, WEB_DIST } from './web-assets.ts';
export { openApiDocument } from './openapi.ts';
export type { Viewer } from './http/viewer.ts';
