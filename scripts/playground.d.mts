// Types of scripts/playground.mjs, for the TypeScript browser test that imports it.

/** The repository's root folder (absolute path, with a trailing separator). */
export declare const repoRoot: string;

export interface PlaygroundOptions {
  /** Port to listen on; 0 lets the system pick a free one. @default 0 */
  readonly port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** The folder served as /dist/. @default '<repo>/dist' */
  readonly distDir?: string;
}

export interface Playground {
  /** The server's origin, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** The playground page, `${url}/examples/browser/`. */
  readonly pageUrl: string;
  readonly port: number;
  /** Stops the server (open connections are closed). */
  close(): Promise<void>;
}

/** Serves examples/browser/, /dist/ and /test/helpers/determinism.mjs; resolves once listening. */
export declare function startPlayground(options?: PlaygroundOptions): Promise<Playground>;
