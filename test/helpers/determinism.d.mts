// Types of the plain-JavaScript determinism scenario (determinism.mjs), shared by the Node and browser tests.
export declare const DETERMINISM_HASH: string;
export declare function hashNetwork(net: { layers: ReadonlyArray<{ weights: { data: Float64Array }; biases: Float64Array }> }): string;
export declare function runDeterminismScenario(deltaprop: unknown, backend?: 'js' | 'wasm'): { hash: string; loss: number; moved: boolean };
export declare function runDeterminismScenarioAsync(deltaprop: unknown): Promise<{ hash: string; loss: number }>;
