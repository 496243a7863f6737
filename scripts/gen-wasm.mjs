// Generates deltaprop's WebAssembly kernels, two modules on one memory: the WAT text below is
// assembled with wabt into src/kernels/wasm-bytes.ts (the bytes, base64) and written to
// src/kernels/wasm-kernels.wat and src/kernels/wasm-optim.wat (the text, for review).
//
//   npm run gen:wasm                   (node scripts/gen-wasm.mjs) writes both files
//   node scripts/gen-wasm.mjs --check  exits 1 if either file differs from what this script makes
//
// test/wasm-backend.test.ts regenerates them and checks they are byte-identical to the committed ones.
//
// Every kernel returns the bits of its JavaScript twin in src/kernels/js.ts: products are vectorised
// across output columns (each f64x2 lane is one output element) and every lane sums its terms in the
// naive order p = 0, 1, …, k − 1, with f64x2.mul then f64x2.add (never a fused multiply-add, no
// relaxed SIMD). Scalar tails use the same vector code on a splatted value and store one lane.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import wabtInit from 'wabt';

const root = fileURLToPath(new URL('..', import.meta.url));
const BYTES_FILE = 'src/kernels/wasm-bytes.ts';
const WAT_FILE = 'src/kernels/wasm-kernels.wat';
const OPTIM_WAT_FILE = 'src/kernels/wasm-optim.wat';

// ---------------------------------------------------------------------------------------------
// The scratch area at the start of every arena's memory (byte offsets; see src/kernels/wasm.ts)

/** Most steps p packed at once. */
const KC = 256;
/** Most output columns packed at once (a multiple of 4). */
const NC = 128;
/** 64 bytes of zeros: the starting sums of a product without bias (row stride 0). */
const ZERO = 0;
/** A 4 × 4 block of out at a ragged edge (row stride 32 bytes). */
const EDGE = 64;
/** One byte per 4-column panel of the packed B block: bit 0 when it is all ±0, bit 1 when it is finite (see gemm). */
const FLAGS = EDGE + 4 * 4 * 8;
/** The packed A panel: 4 rows × KC steps. */
const APACK = 256;
/** The packed B block: NC columns × KC steps, as panels of 4 columns. */
const BPACK = APACK + 4 * KC * 8;
/** The steps of the packed A panel that are not all ±0: byte offsets (32·p), KC at most. */
const LIST = BPACK + NC * KC * 8;
/** Where the arena's own values start. */
const HEAP_BASE = align(LIST + KC * 4, 64);

function align(x, to) {
  return Math.ceil(x / to) * to;
}

// ---------------------------------------------------------------------------------------------
// WAT helpers

const get = (x) => `(local.get $${x})`;
const set = (x, v) => `(local.set $${x} ${v})`;
const add = (x, v) => set(x, `(i32.add ${get(x)} ${typeof v === 'number' ? `(i32.const ${v})` : v})`);
const i32 = (v) => `(i32.const ${v})`;
const params = (list) => list.map(([n, t]) => `(param $${n} ${t})`).join(' ');
const locals = (list) => list.map(([n, t]) => `(local $${n} ${t})`).join(' ');

/** `body` runs while the condition holds; at least once (callers guarantee it). */
const doWhile = (label, body, cond) => `(loop $${label}\n${body}\n(br_if $${label} ${cond}))`;

// ---------------------------------------------------------------------------------------------
// Products: out (m × n) = scale · (init + Σ_p x_i(p) · y_j(p)), init = bias[j] or 0

/**
 * One 4 × 4 block over kc steps: c[r] (two v128 per row, columns 0-1 and 2-3) starts from the
 * init rows at ip (row stride irs bytes), adds x_r(p) · y(p) for p = 0 … kc − 1 from the packed
 * panels pa (4 values per step) and pb (4 values per step), and is stored times scale at op
 * (row stride ors). ip may equal op. kc may be 0: then the init rows are stored times scale.
 * With nz ≥ 0 only the nz steps listed at LIST are added, when that gives the same bits (see below).
 */
function tile() {
  const rows = [0, 1, 2, 3];
  const init = rows
    .map((r) => [
      set(`c${r}0`, `(v128.load ${get('ip')})`),
      set(`c${r}1`, `(v128.load offset=16 ${get('ip')})`),
      add('ip', get('irs')),
    ].join('\n'))
    .join('\n');
  // one step p: the four x_r(p) at ax, the four y(p) at bx
  const step = (ax, bx) => [
    set('b0', `(v128.load ${bx})`),
    set('b1', `(v128.load offset=16 ${bx})`),
    ...rows.map((r) => [
      set('x', `(v128.load64_splat offset=${8 * r} ${ax})`),
      // s += a · b, the multiply and the add as two instructions, in the naive order
      set(`c${r}0`, `(f64x2.add ${get(`c${r}0`)} (f64x2.mul ${get('x')} ${get('b0')}))`),
      set(`c${r}1`, `(f64x2.add ${get(`c${r}1`)} (f64x2.mul ${get('x')} ${get('b1')}))`),
    ].join('\n')),
  ].join('\n');
  const dense = `${step(get('pa'), get('pb'))}\n${add('pa', 32)}\n${add('pb', 32)}`;
  // the listed steps only: q is the byte offset 32·p of step p in both panels
  const listed = `${set('q', `(i32.load ${get('l')})`)}
    ${step(`(i32.add ${get('pa')} ${get('q')})`, `(i32.add ${get('pb')} ${get('q')})`)}
    ${add('l', 4)}`;
  const NEG_ZERO = `(v128.const i64x2 ${-(2n ** 63n)} ${-(2n ** 63n)})`;
  const negZero = rows.flatMap((r) => [0, 1].map((h) => `(i64x2.eq ${get(`c${r}${h}`)} ${NEG_ZERO})`))
    .reduce((a, b) => `(v128.or ${a} ${b})`);
  const store = rows
    .map((r) => [
      `(v128.store ${get('op')} (f64x2.mul ${get(`c${r}0`)} ${get('s')}))`,
      `(v128.store offset=16 ${get('op')} (f64x2.mul ${get(`c${r}1`)} ${get('s')}))`,
      add('op', get('ors')),
    ].join('\n'))
    .join('\n');
  return `
(func $tile ${params([['ip', 'i32'], ['irs', 'i32'], ['op', 'i32'], ['ors', 'i32'], ['pa', 'i32'], ['pb', 'i32'], ['kc', 'i32'], ['scale', 'f64'], ['nz', 'i32']])}
  ${locals([...rows.flatMap((r) => [[`c${r}0`, 'v128'], [`c${r}1`, 'v128']]), ['x', 'v128'], ['b0', 'v128'], ['b1', 'v128'], ['s', 'v128'], ['end', 'i32'], ['l', 'i32'], ['q', 'i32']])}
  ${init}
  ;; The listed steps only, when the caller listed them (nz ≥ 0: the other steps have x = ±0 and a
  ;; finite y, so their products are ±0) and no sum starts at −0 (−0 + +0 is +0): adding ±0 to a sum
  ;; that is not −0 leaves its bits unchanged, and such a sum never becomes −0.
  (if (i32.and (i32.ge_s ${get('nz')} ${i32(0)}) (i32.eqz (v128.any_true ${negZero})))
    (then
      ${set('l', i32(LIST))}
      ${set('end', `(i32.add ${i32(LIST)} (i32.shl ${get('nz')} ${i32(2)}))`)}
      (if (i32.lt_u ${get('l')} ${get('end')}) (then
        ${doWhile('listed', listed, `(i32.lt_u ${get('l')} ${get('end')})`)})))
    (else
      ${set('end', `(i32.add ${get('pa')} (i32.shl ${get('kc')} ${i32(5)}))`)}
      (if (i32.lt_u ${get('pa')} ${get('end')}) (then
        ${doWhile('steps', dense, `(i32.lt_u ${get('pa')} ${get('end')})`)}))))
  ${set('s', `(f64x2.splat ${get('scale')})`)}
  ${store})`;
}

/**
 * Packs a panel of 4 vectors, kc steps from p0, to dst: dst[32·p + 8·r] = x_r(p) for r < count,
 * 0 for count ≤ r < 4. x_r(p) is x[(first + r)·ld + p0 + p] (byCol 0: rows of x) or
 * x[(p0 + p)·ld + first + r] (byCol 1: adjacent columns of x). Copies go through i64, bit for bit.
 * Returns 1 when it copied four adjacent columns (byCol 1, count 4) and every value was ±0; else 0.
 */
function pack() {
  const copyLoop = (label, perStep, srcStep) =>
    doWhile(label, `${perStep}\n${add('src', srcStep)}\n${add('d', 32)}`, `(i32.lt_u ${get('d')} ${get('end')})`);
  // Four whole rows: two steps at a time, one v128 load per row, regrouped by step with shuffles
  // (lanes are moved whole, bit for bit); an odd last step through i64 copies.
  const lo = '0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23', hi = '8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31';
  const row = (r) => set(`s${r}`, `(i32.add ${get(`s${r - 1}`)} (i32.shl ${get('ld')} ${i32(3)}))`);
  const rows4 = `
          ${set('s0', `(i32.add ${get('x')} (i32.shl (i32.add (i32.mul ${get('first')} ${get('ld')}) ${get('p0')}) ${i32(3)}))`)}
          ${row(1)}
          ${row(2)}
          ${row(3)}
          ${set('d', get('dst'))}
          ${set('pairEnd', `(i32.add ${get('dst')} (i32.shl (i32.and ${get('kc')} ${i32(-2)}) ${i32(5)}))`)}
          (if (i32.lt_u ${get('d')} ${get('pairEnd')}) (then
            ${doWhile('rows4', [
              set('v0', `(v128.load ${get('s0')})`), set('v1', `(v128.load ${get('s1')})`),
              set('v2', `(v128.load ${get('s2')})`), set('v3', `(v128.load ${get('s3')})`),
              `(v128.store ${get('d')} (i8x16.shuffle ${lo} ${get('v0')} ${get('v1')}))`,
              `(v128.store offset=16 ${get('d')} (i8x16.shuffle ${lo} ${get('v2')} ${get('v3')}))`,
              `(v128.store offset=32 ${get('d')} (i8x16.shuffle ${hi} ${get('v0')} ${get('v1')}))`,
              `(v128.store offset=48 ${get('d')} (i8x16.shuffle ${hi} ${get('v2')} ${get('v3')}))`,
              add('s0', 16), add('s1', 16), add('s2', 16), add('s3', 16), add('d', 64),
            ].join('\n'), `(i32.lt_u ${get('d')} ${get('pairEnd')})`)}))
          (if (i32.and ${get('kc')} ${i32(1)}) (then
            (i64.store ${get('d')} (i64.load ${get('s0')}))
            (i64.store offset=8 ${get('d')} (i64.load ${get('s1')}))
            (i64.store offset=16 ${get('d')} (i64.load ${get('s2')}))
            (i64.store offset=24 ${get('d')} (i64.load ${get('s3')}))))`;
  return `
(func $pack ${params([['dst', 'i32'], ['x', 'i32'], ['ld', 'i32'], ['byCol', 'i32'], ['first', 'i32'], ['count', 'i32'], ['p0', 'i32'], ['kc', 'i32']])} (result i32)
  ${locals([['src', 'i32'], ['d', 'i32'], ['end', 'i32'], ['r', 'i32'], ['s0', 'i32'], ['s1', 'i32'], ['s2', 'i32'], ['s3', 'i32'], ['pairEnd', 'i32'], ['v0', 'v128'], ['v1', 'v128'], ['v2', 'v128'], ['v3', 'v128']])}
  ${set('end', `(i32.add ${get('dst')} (i32.shl ${get('kc')} ${i32(5)}))`)}
  (if (i32.lt_u ${get('count')} ${i32(4)}) (then
    ${set('d', get('dst'))}
    ${doWhile('zero', `(v128.store ${get('d')} (v128.const i64x2 0 0))\n(v128.store offset=16 ${get('d')} (v128.const i64x2 0 0))\n${add('d', 32)}`, `(i32.lt_u ${get('d')} ${get('end')})`)}))
  (if ${get('byCol')}
    (then
      ${set('src', `(i32.add ${get('x')} (i32.shl (i32.add (i32.mul ${get('p0')} ${get('ld')}) ${get('first')}) ${i32(3)}))`)}
      ${set('d', get('dst'))}
      (if (i32.eq ${get('count')} ${i32(4)})
        (then
          ${copyLoop('cols4', `(v128.store ${get('d')} (local.tee $v0 (v128.load ${get('src')})))
            (v128.store offset=16 ${get('d')} (local.tee $v1 (v128.load offset=16 ${get('src')})))
            ${set('v2', `(v128.or ${get('v2')} (v128.or ${get('v0')} ${get('v1')}))`)}`, `(i32.shl ${get('ld')} ${i32(3)})`)}
          ;; 1 when every value copied is +0 or −0 (sign bits cleared, no bit left)
          (return (i32.eqz (v128.any_true (v128.and ${get('v2')} (v128.const i64x2 ${0x7fffffffffffffffn} ${0x7fffffffffffffffn}))))))
        (else
          ${copyLoop('cols', `${set('r', i32(0))}
            ${doWhile('lane', `(i64.store (i32.add ${get('d')} (i32.shl ${get('r')} ${i32(3)})) (i64.load (i32.add ${get('src')} (i32.shl ${get('r')} ${i32(3)}))))\n${add('r', 1)}`, `(i32.lt_u ${get('r')} ${get('count')})`)}`, `(i32.shl ${get('ld')} ${i32(3)})`)})))
    (else
      (if (i32.eq ${get('count')} ${i32(4)})
        (then ${rows4})
        (else
          ${set('r', i32(0))}
          ${doWhile('rows', `${set('src', `(i32.add ${get('x')} (i32.shl (i32.add (i32.mul (i32.add ${get('first')} ${get('r')}) ${get('ld')}) ${get('p0')}) ${i32(3)}))`)}
            ${set('d', `(i32.add ${get('dst')} (i32.shl ${get('r')} ${i32(3)}))`)}
            ${doWhile('row', `(i64.store ${get('d')} (i64.load ${get('src')}))\n${add('src', 8)}\n${add('d', 32)}`, `(i32.lt_u ${get('d')} ${get('end')})`)}
            ${add('r', 1)}`, `(i32.lt_u ${get('r')} ${get('count')})`)}))))
  (i32.const 0))`;
}

/** 1 when every value of the packed panel at p (4 × kc) is finite: Σ x·0 is 0 exactly then, NaN otherwise. */
function finite() {
  return `
(func $finite ${params([['p', 'i32'], ['kc', 'i32']])} (result i32)
  ${locals([['end', 'i32'], ['acc', 'v128']])}
  ${set('end', `(i32.add ${get('p')} (i32.shl ${get('kc')} ${i32(5)}))`)}
  ${doWhile('values', `${set('acc', `(f64x2.add ${get('acc')} (f64x2.mul (v128.load ${get('p')}) ${ZERO_V}))`)}\n${add('p', 16)}`, `(i32.lt_u ${get('p')} ${get('end')})`)}
  (f64.eq (f64.add (f64x2.extract_lane 0 ${get('acc')}) (f64x2.extract_lane 1 ${get('acc')})) (f64.const 0)))`;
}

/** Lists at LIST the byte offsets 32·p of the steps of the packed A panel (4 × kc) with a value that is not ±0; returns how many. */
function steps() {
  const ABS = `(v128.const i64x2 ${0x7fffffffffffffffn} ${0x7fffffffffffffffn})`;
  return `
(func $steps ${params([['kc', 'i32']])} (result i32)
  ${locals([['p', 'i32'], ['end', 'i32'], ['l', 'i32']])}
  ${set('p', i32(APACK))}
  ${set('end', `(i32.add ${i32(APACK)} (i32.shl ${get('kc')} ${i32(5)}))`)}
  ${set('l', i32(LIST))}
  ${doWhile('scan', `(if (v128.any_true (v128.and (v128.or (v128.load ${get('p')}) (v128.load offset=16 ${get('p')})) ${ABS}))
      (then
        (i32.store ${get('l')} (i32.sub ${get('p')} ${i32(APACK)}))
        ${add('l', 4)}))
    ${add('p', 32)}`, `(i32.lt_u ${get('p')} ${get('end')})`)}
  (i32.shr_u (i32.sub ${get('l')} ${i32(LIST)}) ${i32(2)}))`;
}

/** The block size that splits `total` into the fewest blocks of at most `max`, rounded up to `multiple`. */
function blockSize() {
  return `
(func $blockSize ${params([['total', 'i32'], ['max', 'i32'], ['multiple', 'i32']])} (result i32)
  ${locals([['blocks', 'i32'], ['size', 'i32']])}
  ${set('blocks', `(i32.div_u (i32.sub (i32.add ${get('total')} ${get('max')}) ${i32(1)}) ${get('max')})`)}
  ${set('size', `(i32.div_u (i32.sub (i32.add ${get('total')} ${get('blocks')}) ${i32(1)}) ${get('blocks')})`)}
  (i32.mul (i32.div_u (i32.sub (i32.add ${get('size')} ${get('multiple')}) ${i32(1)}) ${get('multiple')}) ${get('multiple')}))`;
}

/** Copies a rows × cols block of doubles between row strides (bytes), bit for bit. */
function copyBlock() {
  return `
(func $copyBlock ${params([['dst', 'i32'], ['dstStride', 'i32'], ['src', 'i32'], ['srcStride', 'i32'], ['rows', 'i32'], ['cols', 'i32']])}
  ${locals([['i', 'i32'], ['j', 'i32']])}
  ${set('i', i32(0))}
  ${doWhile('rows', `${set('j', i32(0))}
    ${doWhile('cols', `(i64.store (i32.add ${get('dst')} (i32.shl ${get('j')} ${i32(3)})) (i64.load (i32.add ${get('src')} (i32.shl ${get('j')} ${i32(3)}))))\n${add('j', 1)}`, `(i32.lt_u ${get('j')} ${get('cols')})`)}
    ${add('dst', get('dstStride'))}
    ${add('src', get('srcStride'))}
    ${add('i', 1)}`, `(i32.lt_u ${get('i')} ${get('rows')})`)})`;
}

/**
 * out (m × n, at o) = scale · (init + Σ_p x_i(p) · y_j(p)), init = bias[j] (bias ≠ 0) or 0.
 * x_i(p) = a[i·lda + p] (aCol 0) or a[p·lda + i] (aCol 1); y_j(p) = b[j·ldb + p] (bCol 0) or
 * b[p·ldb + j] (bCol 1). Blocks of at most KC steps carry their partial sums in out; the scale
 * multiplies once, after the last block. Pointers are byte offsets, strides in elements.
 */
function gemm() {
  const kZero = `
    ${set('i', i32(0))}
    ${doWhile('zrows', `${set('j', i32(0))}
      ${doWhile('zcols', `(f64.store (i32.add ${get('o')} (i32.shl (i32.add (i32.mul ${get('i')} ${get('n')}) ${get('j')}) ${i32(3)}))
        (f64.mul ${get('scale')} (if (result f64) ${get('bias')} (then (f64.load (i32.add ${get('bias')} (i32.shl ${get('j')} ${i32(3)})))) (else (f64.const 0)))))
        ${add('j', 1)}`, `(i32.lt_u ${get('j')} ${get('n')})`)}
      ${add('i', 1)}`, `(i32.lt_u ${get('i')} ${get('m')})`)}
    (return)`;
  const tiles = `
    ${set('jr', i32(0))}
    ${doWhile('panels', `${set('cols', `(select (i32.sub ${get('nc')} ${get('jr')}) ${i32(4)} (i32.lt_u (i32.sub ${get('nc')} ${get('jr')}) ${i32(4)}))`)}
      ${set('j', `(i32.add ${get('jc')} ${get('jr')})`)}
      ${set('op', `(i32.add ${get('o')} (i32.shl (i32.add (i32.mul ${get('ic')} ${get('n')}) ${get('j')}) ${i32(3)}))`)}
      (if (i32.eqz ${get('pc')})
        (then
          ${set('irs', i32(0))}
          ${set('ip', `(if (result i32) ${get('bias')} (then (i32.add ${get('bias')} (i32.shl ${get('j')} ${i32(3)}))) (else ${i32(ZERO)}))`)})
        (else
          ${set('irs', get('ors'))}
          ${set('ip', get('op'))}))
      ${set('pb', `(i32.add ${i32(BPACK)} (i32.shl (i32.mul ${get('jr')} ${get('kc')}) ${i32(3)}))`)}
      ;; An all-±0 B panel adds only ±0 to sums that start at +0 (no bias), which leaves them
      ;; unchanged bit for bit (a sum from +0 is never −0) as long as every x is finite: no steps.
      ${set('flags', `(i32.load8_u offset=${FLAGS} (i32.shr_u ${get('jr')} ${i32(2)}))`)}
      ${set('kcT', `(select ${i32(0)} ${get('kc')} (i32.and ${get('aFinite')} (i32.and ${get('flags')} ${i32(1)})))`)}
      ;; the steps of A that are all ±0 may be left out when this panel of B is finite
      ${set('nzT', `(select ${get('nz')} ${i32(-1)} (i32.and ${get('flags')} ${i32(2)}))`)}
      (if (i32.and (i32.eq ${get('rows')} ${i32(4)}) (i32.eq ${get('cols')} ${i32(4)}))
        (then (call $tile ${get('ip')} ${get('irs')} ${get('op')} ${get('ors')} ${i32(APACK)} ${get('pb')} ${get('kcT')} ${get('s')} ${get('nzT')}))
        (else
          (call $copyBlock ${i32(EDGE)} ${i32(32)} ${get('ip')} ${get('irs')} ${get('rows')} ${get('cols')})
          (call $tile ${i32(EDGE)} ${i32(32)} ${i32(EDGE)} ${i32(32)} ${i32(APACK)} ${get('pb')} ${get('kcT')} ${get('s')} ${get('nzT')})
          (call $copyBlock ${get('op')} ${get('ors')} ${i32(EDGE)} ${i32(32)} ${get('rows')} ${get('cols')})))
      ${add('jr', 4)}`, `(i32.lt_u ${get('jr')} ${get('nc')})`)}`;
  const rowPanels = `
    ${set('ic', i32(0))}
    ${doWhile('rowPanels', `${set('rows', `(select (i32.sub ${get('m')} ${get('ic')}) ${i32(4)} (i32.lt_u (i32.sub ${get('m')} ${get('ic')}) ${i32(4)}))`)}
      (drop (call $pack ${i32(APACK)} ${get('a')} ${get('lda')} ${get('aCol')} ${get('ic')} ${get('rows')} ${get('pc')} ${get('kc')}))
      ;; without a bias, a finite A panel may skip the all-zero B panels (see below)
      ${set('aFinite', `(if (result i32) ${get('bias')} (then ${i32(0)}) (else (call $finite ${i32(APACK)} ${get('kc')})))`)}
      ;; for rows of b (forward products), the steps of A that are not all ±0, when at least a
      ;; quarter of them are (listed steps pay for their index loads); -1: every step
      ${set('nz', `(if (result i32) ${get('bCol')} (then ${i32(-1)}) (else (call $steps ${get('kc')})))`)}
      ${set('nz', `(select ${get('nz')} ${i32(-1)} (i32.lt_u (i32.shl ${get('nz')} ${i32(2)}) (i32.mul ${get('kc')} ${i32(3)})))`)}
      ${tiles}
      ${add('ic', 4)}`, `(i32.lt_u ${get('ic')} ${get('m')})`)}`;
  const packB = `
    ${set('jr', i32(0))}
    ${doWhile('packB', `${set('pb', `(i32.add ${i32(BPACK)} (i32.shl (i32.mul ${get('jr')} ${get('kc')}) ${i32(3)}))`)}
      (i32.store8 offset=${FLAGS} (i32.shr_u ${get('jr')} ${i32(2)}) (i32.or
        (call $pack ${get('pb')} ${get('b')} ${get('ldb')} ${get('bCol')}
          (i32.add ${get('jc')} ${get('jr')})
          (select (i32.sub ${get('nc')} ${get('jr')}) ${i32(4)} (i32.lt_u (i32.sub ${get('nc')} ${get('jr')}) ${i32(4)}))
          ${get('pc')} ${get('kc')})
        ;; rows of b (the weights of a forward product): whether the panel is finite, for listed steps
        (i32.shl (if (result i32) ${get('bCol')} (then ${i32(0)}) (else (call $finite ${get('pb')} ${get('kc')}))) ${i32(1)})))
      ${add('jr', 4)}`, `(i32.lt_u ${get('jr')} ${get('nc')})`)}`;
  const stepBlocks = `
    ${set('pc', i32(0))}
    ${doWhile('stepBlocks', `${set('kc', `(select (i32.sub ${get('k')} ${get('pc')}) ${get('kcMax')} (i32.lt_u (i32.sub ${get('k')} ${get('pc')}) ${get('kcMax')}))`)}
      ;; scale once, after the last block of steps
      ${set('s', `(select ${get('scale')} (f64.const 1) (i32.eq (i32.add ${get('pc')} ${get('kc')}) ${get('k')}))`)}
      ${packB}
      ${rowPanels}
      ${add('pc', get('kc'))}`, `(i32.lt_u ${get('pc')} ${get('k')})`)}`;
  return `
(func (export "gemm") ${params([['o', 'i32'], ['m', 'i32'], ['n', 'i32'], ['k', 'i32'], ['a', 'i32'], ['lda', 'i32'], ['aCol', 'i32'], ['b', 'i32'], ['ldb', 'i32'], ['bCol', 'i32'], ['bias', 'i32'], ['scale', 'f64']])}
  ${locals([['kcMax', 'i32'], ['ncMax', 'i32'], ['jc', 'i32'], ['nc', 'i32'], ['pc', 'i32'], ['kc', 'i32'], ['ic', 'i32'], ['rows', 'i32'], ['jr', 'i32'], ['cols', 'i32'], ['i', 'i32'], ['j', 'i32'], ['ip', 'i32'], ['irs', 'i32'], ['op', 'i32'], ['ors', 'i32'], ['pb', 'i32'], ['aFinite', 'i32'], ['kcT', 'i32'], ['nz', 'i32'], ['nzT', 'i32'], ['flags', 'i32'], ['s', 'f64']])}
  (if (i32.or (i32.eqz ${get('m')}) (i32.eqz ${get('n')})) (then (return)))
  (if (i32.eqz ${get('k')}) (then ${kZero}))
  ${set('kcMax', `(call $blockSize ${get('k')} ${i32(KC)} ${i32(1)})`)}
  ${set('ncMax', `(call $blockSize ${get('n')} ${i32(NC)} ${i32(4)})`)}
  ${set('ors', `(i32.shl ${get('n')} ${i32(3)})`)}
  ${set('jc', i32(0))}
  ${doWhile('colBlocks', `${set('nc', `(select (i32.sub ${get('n')} ${get('jc')}) ${get('ncMax')} (i32.lt_u (i32.sub ${get('n')} ${get('jc')}) ${get('ncMax')}))`)}
    ${stepBlocks}
    ${add('jc', get('nc'))}`, `(i32.lt_u ${get('jc')} ${get('n')})`)})`;
}

// ---------------------------------------------------------------------------------------------
// Linear kernels

/**
 * An element-wise kernel over len elements: out[i] = body(inputs[i]…). Two elements per turn,
 * then the odd last one through the same vector code on a splatted load, storing lane 0.
 * `body` receives the v128 expressions of the inputs and returns the v128 result.
 */
function elementwise(name, inputs, extra, body) {
  const load = (op) => inputs.map((x) => set(`v_${x}`, `(${op} ${get(x)})`)).join('\n');
  const advance = ['out', ...inputs].map((x) => add(x, 16)).join('\n');
  return `
(func (export "${name}") ${params([['out', 'i32'], ['len', 'i32'], ...inputs.map((x) => [x, 'i32']), ...extra])}
  ${locals([['end', 'i32'], ...inputs.map((x) => [`v_${x}`, 'v128'])])}
  ${set('end', `(i32.add ${get('out')} (i32.shl (i32.and ${get('len')} ${i32(-2)}) ${i32(3)}))`)}
  (if (i32.lt_u ${get('out')} ${get('end')}) (then
    ${doWhile('pairs', `${load('v128.load')}\n(v128.store ${get('out')} ${body(inputs.map((x) => get(`v_${x}`)))})\n${advance}`, `(i32.lt_u ${get('out')} ${get('end')})`)}))
  (if (i32.and ${get('len')} ${i32(1)}) (then
    ${load('v128.load64_splat')}
    (v128.store64_lane 0 ${get('out')} ${body(inputs.map((x) => get(`v_${x}`)))}))))`;
}

const ZERO_V = '(v128.const i64x2 0 0)';
const gtZero = (x) => `(f64x2.gt ${x} ${ZERO_V})`;

function activations() {
  return [
    // relu: x > 0 ? x : 0 (NaN and −0 give +0, as in JS)
    elementwise('relu', ['a'], [], ([x]) => `(v128.and ${x} ${gtZero(x)})`),
    // relu backward: a > 0 ? g : 0
    elementwise('reluBackward', ['g', 'a'], [], ([g, x]) => `(v128.and ${g} ${gtZero(x)})`),
    // leakyRelu: x > 0 ? x : slope · x
    elementwise('leakyRelu', ['a'], [['slope', 'f64']], ([x]) =>
      `(v128.bitselect ${x} (f64x2.mul (f64x2.splat ${get('slope')}) ${x}) ${gtZero(x)})`),
    // leakyRelu backward: a > 0 ? g : slope · g
    elementwise('leakyReluBackward', ['g', 'a'], [['slope', 'f64']], ([g, x]) =>
      `(v128.bitselect ${g} (f64x2.mul (f64x2.splat ${get('slope')}) ${g}) ${gtZero(x)})`),
  ].join('\n');
}

/**
 * out[j] = Σ_i a[i][j] (a: m × n), summed from 0 in row order, then times scale when scale ≠ 1.
 */
function columnSums() {
  const pairs = (label, body) => `
    ${set('j', i32(0))}
    (if (i32.ge_u ${get('n')} ${i32(2)}) (then
      ${doWhile(label, `${body}\n${add('j', 2)}`, `(i32.le_u (i32.add ${get('j')} ${i32(2)}) ${get('n')})`)}))`;
  const at = (base, j) => `(i32.add ${get(base)} (i32.shl ${get(j)} ${i32(3)}))`;
  return `
(func (export "columnSums") ${params([['out', 'i32'], ['a', 'i32'], ['m', 'i32'], ['n', 'i32'], ['scale', 'f64']])}
  ${locals([['i', 'i32'], ['j', 'i32'], ['row', 'i32']])}
  (if (i32.eqz ${get('n')}) (then (return)))
  (memory.fill ${get('out')} ${i32(0)} (i32.shl ${get('n')} ${i32(3)}))
  ${set('row', get('a'))}
  ${set('i', i32(0))}
  (if (i32.gt_u ${get('m')} ${i32(0)}) (then
    ${doWhile('rows', `${pairs('add', `(v128.store ${at('out', 'j')} (f64x2.add (v128.load ${at('out', 'j')}) (v128.load ${at('row', 'j')})))`)}
      (if (i32.lt_u ${get('j')} ${get('n')}) (then
        (f64.store ${at('out', 'j')} (f64.add (f64.load ${at('out', 'j')}) (f64.load ${at('row', 'j')})))))
      ${add('row', `(i32.shl ${get('n')} ${i32(3)})`)}
      ${add('i', 1)}`, `(i32.lt_u ${get('i')} ${get('m')})`)}))
  (if (f64.ne ${get('scale')} (f64.const 1)) (then
    ${pairs('scale', `(v128.store ${at('out', 'j')} (f64x2.mul (v128.load ${at('out', 'j')}) (f64x2.splat ${get('scale')})))`)}
    (if (i32.lt_u ${get('j')} ${get('n')}) (then
      (f64.store ${at('out', 'j')} (f64.mul (f64.load ${at('out', 'j')}) ${get('scale')})))))))`;
}

/** Copies rows order[start .. start + rows) of src (n columns) to out; order is a Uint32Array. */
function gatherRows() {
  return `
(func (export "gatherRows") ${params([['out', 'i32'], ['src', 'i32'], ['order', 'i32'], ['rows', 'i32'], ['n', 'i32']])}
  ${locals([['bytes', 'i32'], ['end', 'i32']])}
  (if (i32.eqz ${get('rows')}) (then (return)))
  ${set('bytes', `(i32.shl ${get('n')} ${i32(3)})`)}
  ${set('end', `(i32.add ${get('order')} (i32.shl ${get('rows')} ${i32(2)}))`)}
  ${doWhile('rows', `(memory.copy ${get('out')} (i32.add ${get('src')} (i32.mul (i32.load ${get('order')}) ${get('bytes')})) ${get('bytes')})
    ${add('out', get('bytes'))}
    ${add('order', 4)}`, `(i32.lt_u ${get('order')} ${get('end')})`)})`;
}

/**
 * The SGD update of the first len & ~1 values at w with gradients at g (the caller steps an odd
 * last one in JavaScript, with the same bits): w ← w − lr·g − wd·w (decay) or w ← w − lr·g
 * (noDecay), evaluated left to right as in JS. When backup ≠ 0 the old values are written there.
 * Returns 1 when every new value is finite: Σ v·0 is 0 exactly then, NaN otherwise.
 */
function sgd(name, decay) {
  const update = (w, g) => {
    const step = `(f64x2.sub ${w} (f64x2.mul ${get('lr')} ${g}))`;
    return decay ? `(f64x2.sub ${step} (f64x2.mul ${get('wd')} ${w}))` : step;
  };
  const loop = (withBackup) => {
    const pair = [
      set('w', `(v128.load ${get('p')})`),
      withBackup ? `(v128.store ${get('backup')} ${get('w')})` : '',
      set('v', update(get('w'), `(v128.load ${get('g')})`)),
      `(v128.store ${get('p')} ${get('v')})`,
      set('acc', `(f64x2.add ${get('acc')} (f64x2.mul ${get('v')} ${ZERO_V}))`),
      add('p', 16), add('g', 16), withBackup ? add('backup', 16) : '',
    ].join('\n');
    return `
      (if (i32.lt_u ${get('p')} ${get('end')}) (then
        ${doWhile(withBackup ? 'pairsB' : 'pairs', pair, `(i32.lt_u ${get('p')} ${get('end')})`)}))`;
  };
  const extra = decay ? [['lr', 'v128'], ['wd', 'v128']] : [['lr', 'v128']];
  const splats = decay ? `${set('lr', `(f64x2.splat ${get('alpha')})`)}\n${set('wd', `(f64x2.splat ${get('lambda')})`)}` : set('lr', `(f64x2.splat ${get('alpha')})`);
  return `
(func (export "${name}") ${params([['p', 'i32'], ['g', 'i32'], ['backup', 'i32'], ['len', 'i32'], ['alpha', 'f64'], ...(decay ? [['lambda', 'f64']] : [])])} (result i32)
  ${locals([['end', 'i32'], ['w', 'v128'], ['v', 'v128'], ['acc', 'v128'], ...extra])}
  ${splats}
  ${set('end', `(i32.add ${get('p')} (i32.shl (i32.and ${get('len')} ${i32(-2)}) ${i32(3)}))`)}
  (if ${get('backup')} (then ${loop(true)}) (else ${loop(false)}))
  (f64.eq (f64.add (f64x2.extract_lane 0 ${get('acc')}) (f64x2.extract_lane 1 ${get('acc')})) (f64.const 0)))`;
}

// The optimizer steps share their frame: splatted constants, a body per pair of values that ends
// by storing next at p (decayed where decay ≠ 0), summing next·0 + other·0 into acc (0 exactly
// when both are finite, NaN otherwise) and advancing the pointers, and the result acc = 0.

/** f64x2.splat of the f64 parameter x into the v128 local v, for each [v, x]. */
const splats = (list) => list.map(([v, x]) => set(v, `(f64x2.splat ${get(x)})`)).join('\n');

/** The end of a step's body: w − … in nx, then nx − D·w where decay ≠ 0 (noDecay is all ones when decay = 0). */
const storeNext = (other, pointers) => [
  `(v128.store ${get('p')} (local.tee $nx (v128.bitselect ${get('nx')} (f64x2.sub ${get('nx')} (f64x2.mul ${get('D')} ${get('w')})) ${get('noDecay')})))`,
  set('acc', `(f64x2.add ${get('acc')} (f64x2.add (f64x2.mul ${get('nx')} ${ZERO_V}) (f64x2.mul ${get(other)} ${ZERO_V})))`),
  ...pointers.map((x) => add(x, 16)),
].join('\n');

/** The loop over the pairs from p to p + bytes and the result: 1 when every checked value was finite. */
const pairLoop = (body) => `
  ${set('noDecay', `(f64x2.eq ${get('D')} ${ZERO_V})`)}
  ${set('end', `(i32.add ${get('p')} ${get('bytes')})`)}
  (if (i32.lt_u ${get('p')} ${get('end')}) (then
    ${doWhile('pairs', body, `(i32.lt_u ${get('p')} ${get('end')})`)}))
  (f64.eq (f64.add (f64x2.extract_lane 0 ${get('acc')}) (f64x2.extract_lane 1 ${get('acc')})) (f64.const 0))`;

/**
 * One Adam step of len values, len even (src/optim/adam.ts, src/kernels/js.ts adamUpdate; the
 * caller steps an odd last element in JavaScript), in exactly the JS order: the old w, m and v
 * are copied to oldP, oldM and oldV, then
 *   m = M·b1 + omb1·g,  v = V·b2 + omb2·(g·g),  update = stepSize · (m / (√v / c2Root + eps)),
 *   next = decay = 0 ? w − update : w − update − decay·w   (decay −0 counts as 0, as in JS).
 * f64x2.sqrt and f64x2.div round as Math.sqrt and / do. Returns 1 when every next and v is finite
 * (Σ next·0 + v·0 is 0 exactly then, NaN otherwise).
 */
function adam() {
  const ptrs = ['p', 'g', 'm', 'v'];
  const splat = splats([['B1', 'b1'], ['B2', 'b2'], ['OMB1', 'omb1'], ['OMB2', 'omb2'], ['S', 'stepSize'], ['C2', 'c2Root'], ['E', 'eps'], ['D', 'decay']]);
  const body = [
    set('w', `(v128.load ${get('p')})`),
    set('gv', `(v128.load ${get('g')})`),
    set('mn', `(f64x2.add (f64x2.mul (v128.load ${get('m')}) ${get('B1')}) (f64x2.mul ${get('OMB1')} ${get('gv')}))`),
    set('vn', `(f64x2.add (f64x2.mul (v128.load ${get('v')}) ${get('B2')}) (f64x2.mul ${get('OMB2')} (f64x2.mul ${get('gv')} ${get('gv')})))`),
    `(v128.store ${get('m')} ${get('mn')})`,
    `(v128.store ${get('v')} ${get('vn')})`,
    // w − update, and w − update − decay·w where decay ≠ 0 (the mask is all ones when decay = 0)
    set('nx', `(f64x2.sub ${get('w')} (f64x2.mul ${get('S')} (f64x2.div ${get('mn')} (f64x2.add (f64x2.div (f64x2.sqrt ${get('vn')}) ${get('C2')}) ${get('E')}))))`),
    storeNext('vn', ptrs),
  ].join('\n');
  return `
(func (export "adam") ${params([...['p', 'g', 'm', 'v', 'oldP', 'oldM', 'oldV'].map((x) => [x, 'i32']), ['len', 'i32'], ...['b1', 'b2', 'omb1', 'omb2', 'stepSize', 'c2Root', 'eps', 'decay'].map((x) => [x, 'f64'])])} (result i32)
  ${locals([['end', 'i32'], ['bytes', 'i32'], ...['w', 'gv', 'mn', 'vn', 'nx', 'acc', 'noDecay', 'B1', 'B2', 'OMB1', 'OMB2', 'S', 'C2', 'E', 'D'].map((x) => [x, 'v128'])])}
  ${set('bytes', `(i32.shl ${get('len')} ${i32(3)})`)}
  (memory.copy ${get('oldP')} ${get('p')} ${get('bytes')})
  (memory.copy ${get('oldM')} ${get('m')} ${get('bytes')})
  (memory.copy ${get('oldV')} ${get('v')} ${get('bytes')})
  ${splat}${pairLoop(body)})`;
}

/**
 * One step of SGD with momentum of len values, len even (src/kernels/js.ts momentumUpdate; the
 * caller steps an odd last element in JavaScript), in exactly the JS order: the old w and velocity
 * are copied to oldP and oldV, then
 *   v = first ? g : mu·V + g,   u = nesterov ? g + mu·v : v,
 *   next = decay = 0 ? w − lr·u : w − lr·u − decay·w   (decay −0 counts as 0, as in JS).
 * first and nesterov (0 or 1) choose per lane by masks, as decay does. Returns 1 when every next
 * and v is finite.
 */
function momentum() {
  const splat = splats([['LR', 'lr'], ['MU', 'mu'], ['D', 'decay']]);
  // all ones when the flag is set, else all zeros
  const mask = (flag) => `(i64x2.splat (i64.sub (i64.const 0) (i64.extend_i32_u (i32.ne ${get(flag)} ${i32(0)}))))`;
  const body = [
    set('w', `(v128.load ${get('p')})`),
    set('gv', `(v128.load ${get('g')})`),
    // v = first ? g : mu·V + g
    set('vn', `(v128.bitselect ${get('gv')} (f64x2.add (f64x2.mul ${get('MU')} (v128.load ${get('v')})) ${get('gv')}) ${get('FIRST')})`),
    `(v128.store ${get('v')} ${get('vn')})`,
    // u = nesterov ? g + mu·v : v
    set('u', `(v128.bitselect (f64x2.add ${get('gv')} (f64x2.mul ${get('MU')} ${get('vn')})) ${get('vn')} ${get('NEST')})`),
    set('nx', `(f64x2.sub ${get('w')} (f64x2.mul ${get('LR')} ${get('u')}))`),
    storeNext('vn', ['p', 'g', 'v']),
  ].join('\n');
  return `
(func (export "momentum") ${params([...['p', 'g', 'v', 'oldP', 'oldV', 'len'].map((x) => [x, 'i32']), ['lr', 'f64'], ['mu', 'f64'], ['nesterov', 'i32'], ['first', 'i32'], ['decay', 'f64']])} (result i32)
  ${locals([['end', 'i32'], ['bytes', 'i32'], ...['w', 'gv', 'vn', 'u', 'nx', 'acc', 'noDecay', 'FIRST', 'NEST', 'LR', 'MU', 'D'].map((x) => [x, 'v128'])])}
  ${set('bytes', `(i32.shl ${get('len')} ${i32(3)})`)}
  (memory.copy ${get('oldP')} ${get('p')} ${get('bytes')})
  (memory.copy ${get('oldV')} ${get('v')} ${get('bytes')})
  ${splat}
  ${set('FIRST', mask('first'))}
  ${set('NEST', mask('nesterov'))}${pairLoop(body)})`;
}

/**
 * One RMSprop step of len values, len even (src/kernels/js.ts rmspropUpdate; the caller steps an
 * odd last element in JavaScript), in exactly the JS order: the old w, s (and b when mu > 0) are
 * copied to oldP, oldS (and oldB), then
 *   s = S·rho + omr·(g·g),  d = √s + eps,
 *   mu > 0: b = B·mu + g / d, update = lr·b;   mu = 0: update = lr·(g / d),
 *   next = decay = 0 ? w − update : w − update − decay·w.
 * b and oldB are not touched when mu = 0. Returns 1 when every next and s is finite.
 */
function rmsprop() {
  const splat = splats([['LR', 'lr'], ['RHO', 'rho'], ['OMR', 'omr'], ['E', 'eps'], ['MU', 'mu'], ['D', 'decay']]);
  const body = [
    set('w', `(v128.load ${get('p')})`),
    set('gv', `(v128.load ${get('g')})`),
    set('sq', `(f64x2.add (f64x2.mul (v128.load ${get('s')}) ${get('RHO')}) (f64x2.mul ${get('OMR')} (f64x2.mul ${get('gv')} ${get('gv')})))`),
    `(v128.store ${get('s')} ${get('sq')})`,
    set('q', `(f64x2.div ${get('gv')} (f64x2.add (f64x2.sqrt ${get('sq')}) ${get('E')}))`),
    `(if ${get('hasMu')}
      (then
        ${set('q', `(f64x2.add (f64x2.mul (v128.load ${get('b')}) ${get('MU')}) ${get('q')})`)}
        (v128.store ${get('b')} ${get('q')})
        ${add('b', 16)}))`,
    set('nx', `(f64x2.sub ${get('w')} (f64x2.mul ${get('LR')} ${get('q')}))`),
    storeNext('sq', ['p', 'g', 's']),
  ].join('\n');
  return `
(func (export "rmsprop") ${params([...['p', 'g', 's', 'b', 'oldP', 'oldS', 'oldB', 'len'].map((x) => [x, 'i32']), ...['lr', 'rho', 'omr', 'eps', 'mu', 'decay'].map((x) => [x, 'f64'])])} (result i32)
  ${locals([['end', 'i32'], ['bytes', 'i32'], ['hasMu', 'i32'], ...['w', 'gv', 'sq', 'q', 'nx', 'acc', 'noDecay', 'LR', 'RHO', 'OMR', 'E', 'MU', 'D'].map((x) => [x, 'v128'])])}
  ${set('bytes', `(i32.shl ${get('len')} ${i32(3)})`)}
  ${set('hasMu', `(f64.gt ${get('mu')} (f64.const 0))`)}
  (memory.copy ${get('oldP')} ${get('p')} ${get('bytes')})
  (memory.copy ${get('oldS')} ${get('s')} ${get('bytes')})
  (if ${get('hasMu')} (then (memory.copy ${get('oldB')} ${get('b')} ${get('bytes')})))
  ${splat}${pairLoop(body)})`;
}

// ---------------------------------------------------------------------------------------------
// The module

/** Re-indents WAT text by parenthesis depth (two spaces a level), so the review copy reads well. */
function indent(text) {
  let depth = 0;
  const out = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const code = line.startsWith(';;') ? '' : line.replace(/;;.*$/, '');
    const closing = /^\)+/.exec(code)?.[0].length ?? 0;
    out.push('  '.repeat(Math.max(0, depth - closing)) + line);
    for (const c of code) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
  }
  return out.join('\n') + '\n';
}

/** The products, gather and activations; its memory starts with the scratch area. */
export function moduleText() {
  return indent(`;; deltaprop's WebAssembly SIMD kernels. GENERATED by scripts/gen-wasm.mjs: edit that, not this.
;; Memory layout (bytes): ${ZERO} zeros (64), ${EDGE} edge block (4 × 4), ${FLAGS} zero-panel flags, ${APACK} packed A (4 × ${KC}),
;; ${BPACK} packed B (${NC} × ${KC}), ${LIST} listed steps (${KC}), ${HEAP_BASE} the arena's values.
(module
(import "env" "memory" (memory 1))
${tile()}
${pack()}
${finite()}
${steps()}
${blockSize()}
${copyBlock()}
${gemm()}
${columnSums()}
${gatherRows()}
${activations()}
)
`);
}

/**
 * The optimizer steps: a second module on the same memory, so that each stays under the 4 KB that
 * engines compile synchronously on a page's main thread. It uses no scratch.
 */
export function optimModuleText() {
  return indent(`;; deltaprop's WebAssembly SIMD optimizer steps. GENERATED by scripts/gen-wasm.mjs: edit that, not this.
;; It shares the memory of src/kernels/wasm-kernels.wat and uses no scratch of its own.
(module
(import "env" "memory" (memory 1))
${sgd('sgd', true)}
${sgd('sgdNoDecay', false)}
${adam()}
${momentum()}
${rmsprop()}
)
`);
}

/** Assembles both modules; returns their WAT text and bytes, and the TypeScript source holding the bytes. */
export async function generate() {
  const wabt = await wabtInit();
  const assemble = (name, wat) => {
    const parsed = wabt.parseWat(name, wat, { simd: true, bulk_memory: true });
    parsed.resolveNames();
    parsed.validate();
    const { buffer } = parsed.toBinary({ log: false, write_debug_names: false, canonicalize_lebs: true });
    parsed.destroy();
    return buffer;
  };
  const wat = moduleText(), optimWat = optimModuleText();
  const bytes = assemble('wasm-kernels.wat', wat), optimBytes = assemble('wasm-optim.wat', optimWat);
  const base64 = (b) => (Buffer.from(b).toString('base64').match(/.{1,100}/g) ?? []).map((l) => `  '${l}'`).join(' +\n');
  const ts = `// GENERATED by scripts/gen-wasm.mjs from the WAT text in that script (also written to
// src/kernels/wasm-kernels.wat and src/kernels/wasm-optim.wat for review). Do not edit: run
// \`node scripts/gen-wasm.mjs\`. test/wasm-backend.test.ts checks that this file is what the script makes.

/** Bytes of the scratch area at the start of an arena's memory; the arena's values start here. */
export const HEAP_BASE = ${HEAP_BASE};

/** Size of the kernels module in bytes. */
export const WASM_SIZE = ${bytes.length};

/** The kernels module (products, gather, activations), base64. */
export const WASM_BASE64 =
${base64(bytes)};

/** Size of the optimizer module in bytes. */
export const WASM_OPTIM_SIZE = ${optimBytes.length};

/** The optimizer module (SGD, momentum, Adam, RMSprop steps), base64. */
export const WASM_OPTIM_BASE64 =
${base64(optimBytes)};
`;
  return { wat, optimWat, ts, bytes, optimBytes };
}

async function main() {
  const { wat, optimWat, ts } = await generate();
  const files = [[WAT_FILE, wat], [OPTIM_WAT_FILE, optimWat], [BYTES_FILE, ts]];
  if (process.argv.includes('--check')) {
    let same = true;
    for (const [file, text] of files) {
      let old = '';
      try { old = readFileSync(root + file, 'utf8'); } catch { /* missing */ }
      if (old !== text) { console.error(`${file} differs from what scripts/gen-wasm.mjs makes`); same = false; }
    }
    process.exit(same ? 0 : 1);
  }
  for (const [file, text] of files) writeFileSync(root + file, text);
  console.log(`wrote ${BYTES_FILE}, ${WAT_FILE} and ${OPTIM_WAT_FILE}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
