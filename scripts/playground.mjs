// Serves the browser playground: the page in examples/browser/, the built library in dist/ and the
// shared determinism scenario, on 127.0.0.1 only, from this repository only. Plain Node, no
// dependencies. `npm run playground` builds first (tsup) and then runs this file, which prints the URL.
//
// The browser test imports `startPlayground` to serve the same files (with a freshly built bundle).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * Starts the server and resolves once it listens.
 * @param {{ port?: number, host?: string, distDir?: string }} [options]
 *   port: 0 (the default) lets the system pick a free port; distDir: what /dist/ serves (default <repo>/dist).
 * @returns {Promise<{ url: string, pageUrl: string, port: number, close: () => Promise<void> }>}
 */
export async function startPlayground(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const distDir = resolve(options.distDir ?? join(repoRoot, 'dist'));
  // URL prefix → directory it maps to, or a single file for an exact path.
  const mounts = [
    { prefix: '/dist/', dir: distDir },
    { prefix: '/examples/browser/', dir: join(repoRoot, 'examples', 'browser') },
  ];
  const files = new Map([['/test/helpers/determinism.mjs', join(repoRoot, 'test', 'helpers', 'determinism.mjs')]]);

  const server = createServer((req, res) => {
    void handle(req, res).catch((error) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
      else res.destroy();
    });
  });

  async function handle(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Only GET and HEAD are served.');
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'Bad request path.');
    }
    if (path === '/' || path === '/examples/browser') {
      res.writeHead(302, { Location: '/examples/browser/' });
      return res.end();
    }
    let file = files.get(path);
    if (file === undefined) {
      const mount = mounts.find((m) => path.startsWith(m.prefix));
      if (mount === undefined) return send(res, 404, `Not found: ${path}`);
      let rest = path.slice(mount.prefix.length);
      if (rest === '' || rest.endsWith('/')) rest += 'index.html';
      file = resolve(mount.dir, rest);
      const inside = relative(mount.dir, file);
      if (inside.startsWith('..') || isAbsolute(inside)) return send(res, 403, 'Outside the served folders.');
    }
    let info;
    try {
      info = await stat(file);
    } catch {
      return send(res, 404, `Not found: ${path}`);
    }
    if (!info.isFile()) return send(res, 404, `Not found: ${path}`);
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  }

  const port = options.port ?? 0;
  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen(undefined);
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host}:${actualPort}`;
  return {
    url,
    pageUrl: `${url}/examples/browser/`,
    port: actualPort,
    close: () =>
      new Promise((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text + '\n');
}

// Run directly (`node scripts/playground.mjs`, or `npm run playground`, which builds first).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const envPort = process.env.PORT === undefined || process.env.PORT === '' ? 0 : Number(process.env.PORT);
  if (!Number.isInteger(envPort) || envPort < 0 || envPort > 65535) {
    console.error(`PORT must be an integer from 0 to 65535, got ${process.env.PORT}`);
    process.exit(1);
  }
  try {
    await stat(join(repoRoot, 'dist', 'index.js'));
  } catch {
    console.warn('dist/index.js is missing: run `npm run build` (or `npm run playground`, which builds first).');
  }
  const playground = await startPlayground({ port: envPort });
  console.log(`deltaprop playground: ${playground.pageUrl}`);
  console.log(`determinism check:    ${playground.url}/examples/browser/determinism.html`);
  console.log('Press Ctrl+C to stop.');
  const stop = () => void playground.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
