/**
 * What training reports without changing anything: `history.warnings`, each with a reason and a
 * remedy. Watching reads the trace only (never a weight, never the random streams).
 */
import type { Matrix } from '../core/matrix.js';
import { activations } from '../model/activations.js';
import type { Trace } from '../model/backprop.js';
import type { Dense } from '../model/layer.js';

/** Inputs whose largest |x| exceeds this are reported when the network does not scale them. */
export const UNIT_SCALE_LIMIT = 10;

export class Watch {
  readonly warnings: string[] = [];
  /**
   * For each ReLU layer: whether each unit had A > 0 at least once this epoch, how many have not yet
   * (so that a batch after every unit was seen costs nothing), and whether the layer was reported.
   */
  private readonly relu: Array<{ layer: number; active: Uint8Array; unseen: number; reported: boolean }> = [];

  constructor(layers: readonly Dense[]) {
    layers.forEach((l, n) => {
      if (l.activation === activations.relu && n < layers.length - 1) this.relu.push({ layer: n, active: new Uint8Array(l.units), unseen: l.units, reported: false });
    });
  }

  /** With inputScaling 'none': inputs far outside unit scale train slowly or to chance. */
  checkInputs(x: Matrix): void {
    const X = x.data;
    let top = 0, at = 0;
    for (let i = 0; i < X.length; i++) {
      const a = X[i]! < 0 ? -X[i]! : X[i]!;
      if (a > top) {
        top = a;
        at = i;
      }
    }
    if (top > UNIT_SCALE_LIMIT) {
      this.warnings.push(
        `inputs reach |x| = ${top} (feature ${at % x.cols}), far outside unit scale, and the network does not scale them: ` +
          "training may be slow or stall at chance; create the network with inputScaling: 'standard' (or 'minMax')",
      );
    }
  }

  /** Marks the ReLU units active in this batch (A > 0). */
  observe(ws: Trace): void {
    for (let r = 0; r < this.relu.length; r++) {
      const e = this.relu[r]!;
      if (e.reported || e.unseen === 0) continue;
      const A = ws.sums[e.layer]!.data, active = e.active, u = active.length, n = A.length;
      // Unit j is column j: scan it only until its first A > 0, and only while it is unmarked.
      for (let j = 0; j < u; j++) {
        if (active[j] === 1) continue;
        for (let i = j; i < n; i += u) {
          if (A[i]! > 0) {
            active[j] = 1;
            e.unseen--;
            break;
          }
        }
      }
    }
  }

  /** Reports each ReLU layer the first epoch it has units that were never active; resets the marks. */
  endEpoch(epoch: number): void {
    for (const e of this.relu) {
      if (e.reported) continue;
      let dead = 0;
      for (let j = 0; j < e.active.length; j++) if (e.active[j] === 0) dead++;
      e.active.fill(0);
      e.unseen = e.active.length;
      if (dead > 0) {
        e.reported = true;
        this.warnings.push(
          `layer ${e.layer} (relu): ${dead} of ${e.active.length} units were never active during epoch ${epoch} (dead ReLUs output 0 and stop learning): ` +
            "try a smaller learningRate, standardised inputs, or activation 'leakyRelu'",
        );
      }
    }
  }

  toJSON(): { warnings: string[]; reported: boolean[]; active: number[][] } {
    return { warnings: this.warnings.slice(), reported: this.relu.map((e) => e.reported), active: this.relu.map((e) => Array.from(e.active)) };
  }

  /** Continues a checkpoint's watch. */
  load(state: unknown): void {
    if (state === null || typeof state !== 'object') return;
    const s = state as { warnings?: unknown; reported?: unknown; active?: unknown };
    this.warnings.length = 0;
    if (Array.isArray(s.warnings)) for (const w of s.warnings) if (typeof w === 'string') this.warnings.push(w);
    if (Array.isArray(s.reported)) this.relu.forEach((e, i) => (e.reported = (s.reported as unknown[])[i] === true));
    if (Array.isArray(s.active)) {
      this.relu.forEach((e, i) => {
        const a: unknown = (s.active as unknown[])[i];
        if (Array.isArray(a) && a.length === e.active.length) for (let j = 0; j < a.length; j++) e.active[j] = a[j] === 1 ? 1 : 0;
      });
    }
    for (const e of this.relu) e.unseen = e.active.length - e.active.reduce((n, v) => n + v, 0);
  }
}
