// Types of scripts/gen-wasm.mjs, for the test that regenerates the kernels.

/** The module's WAT text, as written to src/kernels/wasm-kernels.wat. */
export declare function moduleText(): string;
export declare function optimModuleText(): string;

/** Assembles the module: the WAT text, the TypeScript source of src/kernels/wasm-bytes.ts and the bytes. */
export declare function generate(): Promise<{ wat: string; optimWat: string; ts: string; bytes: Uint8Array; optimBytes: Uint8Array }>;
