// The playground's logic: plain JavaScript, loaded as an ES module, importing the built library.
//
// Training never blocks the page: one Trainer runs the epochs, and each animation frame gives it a
// small time budget (`trainer.runFor`), then evaluates and redraws. The longest gap
// between consecutive requestAnimationFrame timestamps while training is kept in
// `window.__maxFrameGap` (ms), so a test can check the page stayed responsive; the longest time
// spent inside one frame callback (training slice + evaluation + drawing) is `window.__maxSliceTime`.

const SLICE_BUDGET_MS = 8; // training time per frame; evaluation and drawing come on top
const VIEW = 3.6; // the canvas shows [-VIEW, VIEW]² in data units
const GRID = 48; // decision boundary resolution (GRID × GRID predictions per redraw)
const TRAIN_PER_CLASS = 200;
const HELD_OUT_PER_CLASS = 100;
const COLORS = [
  { dot: '#e8871e', fill: [250, 214, 170] }, // class 0
  { dot: '#2f6fd6', fill: [178, 205, 247] }, // class 1
];

const $ = (id) => document.getElementById(id);
const ui = {
  dataset: $('dataset'), noise: $('noise'), seed: $('seed'), layers: $('layers'), activation: $('activation'),
  optimizer: $('optimizer'), learningRate: $('learning-rate'), weightDecay: $('weight-decay'), batchSize: $('batch-size'),
  train: $('train'), stop: $('stop'), reset: $('reset'), message: $('message'), architecture: $('architecture'),
  status: $('status'), epoch: $('epoch'), loss: $('loss'), valLoss: $('val-loss'), accuracy: $('accuracy'),
  valAccuracy: $('val-accuracy'), speed: $('speed'), maxFrameGap: $('max-frame-gap'),
  boundary: $('boundary'), lossCurve: $('loss-curve'),
};

let deltaprop;
try {
  deltaprop = await import('/dist/index.js');
} catch (error) {
  setStatus('error');
  showMessage(`Could not load /dist/index.js (${error.message}). Build the library first: npm run build, or use npm run playground.`);
  throw error;
}
const { Matrix, Network, Random, oneHot, sgd, adam, adamw, rmsprop } = deltaprop;

// ---------------------------------------------------------------------------------------------
// Data sets: two classes in about [-3, 3]², drawn from deltaprop's seeded generator.

/** A standard normal draw (Box–Muller) from a deltaprop Random. */
function gaussian(random) {
  const u = 1 - random.next(); // (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

const GENERATORS = {
  // Two arms of 1.75 turns each, the second rotated by half a turn.
  spirals(random, label) {
    const t = random.next();
    const angle = 3.5 * Math.PI * t + label * Math.PI;
    const r = 0.15 + 2.85 * t;
    return [r * Math.sin(angle), r * Math.cos(angle)];
  },
  // A disc inside a ring.
  circles(random, label) {
    const angle = random.uniform(0, 2 * Math.PI);
    const r = label === 0 ? 1.3 * Math.sqrt(random.next()) : random.uniform(2, 3);
    return [r * Math.cos(angle), r * Math.sin(angle)];
  },
  // The four quadrants: same sign of x and y is class 0; kept a little away from the axes.
  xor(random, label) {
    const a = random.uniform(0.25, 3) * (random.next() < 0.5 ? -1 : 1);
    const b = random.uniform(0.25, 3) * (label === 0 ? Math.sign(a) : -Math.sign(a));
    return [a, b];
  },
  // Two interleaved half circles.
  moons(random, label) {
    const t = random.uniform(0, Math.PI);
    const [x, y] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    return [2 * (x - 0.5), 2 * (y - 0.25)];
  },
};

function makeSet(name, perClass, noise, random) {
  const points = [];
  const labels = [];
  for (let i = 0; i < perClass; i++) {
    for (let label = 0; label < 2; label++) {
      const [x, y] = GENERATORS[name](random, label);
      points.push([x + noise * gaussian(random), y + noise * gaussian(random)]);
      labels.push(label);
    }
  }
  return { points, labels, x: Matrix.from(points), y: oneHot(labels, 2) };
}

// ---------------------------------------------------------------------------------------------
// State

const state = {
  train: undefined, // { points, labels, x, y }
  heldOut: undefined,
  net: undefined,
  trainer: undefined, // the Trainer of the current network and settings
  trainerKey: undefined, // the settings it was made with
  epoch: 0,
  running: false,
  lossHistory: [], // training loss per epoch
  heldOutHistory: [], // [epoch, loss] after each frame
  lastFrame: undefined, // previous rAF timestamp while training
  speedStart: undefined, // [time, epoch] when training (re)started
};
window.__maxFrameGap = 0;
window.__maxSliceTime = 0;
window.__frames = 0;

const grid = (() => {
  const rows = [];
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) rows.push([toData(j + 0.5, GRID), -toData(i + 0.5, GRID)]);
  }
  return Matrix.from(rows);
})();

/** Pixel coordinate (0..size) → data coordinate (−VIEW..VIEW). */
function toData(p, size) {
  return (p / size) * 2 * VIEW - VIEW;
}

function readNumber(input, name, { min = 0, integer = false, strictlyPositive = false } = {}) {
  const value = Number(input.value);
  const ok = input.value.trim() !== '' && Number.isFinite(value) && value >= min &&
    (!integer || Number.isInteger(value)) && (!strictlyPositive || value > 0);
  if (!ok) {
    const what = integer ? 'an integer' : 'a number';
    throw new Error(`${name} must be ${what} ${strictlyPositive ? 'greater than' : 'at least'} ${min}, got "${input.value}".`);
  }
  return value;
}

function readLayers() {
  const text = ui.layers.value.trim();
  if (text === '') return [];
  const units = text.split(/[\s,]+/).map(Number);
  if (units.some((u) => !Number.isInteger(u) || u < 1 || u > 256)) {
    throw new Error(`Hidden layers must be whole numbers from 1 to 256 separated by commas, got "${ui.layers.value}".`);
  }
  return units;
}

/** Rebuilds the data (from the data controls) and a fresh network (from the network controls). */
function reset() {
  stop();
  state.trainer?.stop();
  state.trainer = undefined;
  showMessage('');
  try {
    const name = ui.dataset.value;
    const noise = readNumber(ui.noise, 'Noise');
    const seed = readNumber(ui.seed, 'Seed', { integer: true });
    const hidden = readLayers();
    const activation = ui.activation.value;
    const random = new Random(seed);
    state.train = makeSet(name, TRAIN_PER_CLASS, noise, random);
    state.heldOut = makeSet(name, HELD_OUT_PER_CLASS, noise, random);
    state.net = Network.create({
      input: 2,
      layers: [...hidden.map((units) => ({ units, activation })), { units: 2, activation: 'softmax' }],
      seed,
    });
    ui.architecture.textContent =
      `${[2, ...hidden].join(' → ')} → 2 (softmax), ${state.net.parameterCount} parameters`;
  } catch (error) {
    state.net = undefined;
    showMessage(error.message);
  }
  state.epoch = 0;
  ui.train.textContent = 'Train';
  state.lossHistory = [];
  state.heldOutHistory = [];
  ui.speed.textContent = '–';
  if (state.net !== undefined) evaluate();
  render();
  setStatus(state.net === undefined ? 'error' : 'ready');
}

function start() {
  if (state.running) return;
  if (state.net === undefined) reset();
  if (state.net === undefined) return;
  showMessage('');
  state.running = true;
  state.lastFrame = undefined;
  state.speedStart = [performance.now(), state.epoch];
  window.__maxFrameGap = 0;
  window.__maxSliceTime = 0;
  window.__frames = 0;
  ui.maxFrameGap.textContent = '–';
  ui.train.disabled = true;
  ui.stop.disabled = false;
  setStatus('training');
  requestAnimationFrame(frame);
}

function stop() {
  state.running = false;
  ui.train.disabled = false;
  ui.stop.disabled = true;
  ui.train.textContent = state.epoch > 0 ? 'Resume' : 'Train';
  if (document.body.dataset.state === 'training') setStatus('stopped');
}

/** One animation frame of training: whole epochs until the time budget is spent, then redraw. */
function frame(now) {
  if (!state.running) return;
  const callbackStart = performance.now();
  if (state.lastFrame !== undefined) {
    window.__maxFrameGap = Math.max(window.__maxFrameGap, now - state.lastFrame);
    window.__frames++;
  }
  state.lastFrame = now;

  let settings;
  try {
    settings = {
      optimizer: ui.optimizer.value,
      learningRate: readNumber(ui.learningRate, 'α (learning rate)', { strictlyPositive: true }),
      weightDecay: readNumber(ui.weightDecay, 'λ (weight decay)'),
      batchSize: readNumber(ui.batchSize, 'k (batch size)', { min: 1, integer: true }),
    };
  } catch (error) {
    stop();
    showMessage(error.message);
    return;
  }

  try {
    // A new Trainer when a training setting changes; otherwise the same one goes on where it was.
    const key = JSON.stringify(settings);
    if (state.trainer === undefined || state.trainerKey !== key) {
      state.trainer?.stop();
      state.trainerKey = key;
      state.trainer = state.net.trainer(state.train.x, state.train.y, {
        optimizer: makeOptimizer(settings),
        batchSize: settings.batchSize,
        epochs: 1e9,
        seed: state.epoch + 1,
        onEpoch: (stats) => {
          state.epoch++;
          state.lossHistory.push(stats.loss);
        },
      });
    }
    state.trainer.runFor(SLICE_BUDGET_MS);
  } catch (error) {
    stop();
    state.trainer = undefined;
    setStatus('diverged');
    showMessage(error.message);
    render();
    return;
  }

  evaluate();
  render();
  const [t0, e0] = state.speedStart;
  const seconds = (performance.now() - t0) / 1000;
  if (seconds > 0.5) ui.speed.textContent = String(Math.round((state.epoch - e0) / seconds));
  ui.maxFrameGap.textContent = `${window.__maxFrameGap.toFixed(0)} ms`;
  window.__maxSliceTime = Math.max(window.__maxSliceTime, performance.now() - callbackStart);
  requestAnimationFrame(frame);
}

/** The optimizer the controls describe (λ is the seed's weight decay for every optimizer). */
function makeOptimizer({ optimizer, learningRate, weightDecay }) {
  switch (optimizer) {
    case 'momentum':
      return sgd({ learningRate, momentum: 0.9, weightDecay });
    case 'adam':
      return weightDecay > 0 ? adamw({ learningRate, weightDecay }) : adam({ learningRate });
    case 'rmsprop':
      return rmsprop({ learningRate, weightDecay });
    default:
      return sgd({ learningRate, weightDecay });
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Mean cross-entropy and accuracy of the current network on a set. */
function score(set) {
  const p = state.net.predict(set.x);
  let loss = 0;
  let hits = 0;
  for (let i = 0; i < set.labels.length; i++) {
    const p1 = p.get(i, 1);
    const label = set.labels[i];
    loss -= Math.log(Math.max(label === 1 ? p1 : 1 - p1, 1e-12));
    if ((p1 > 0.5 ? 1 : 0) === label) hits++;
  }
  return { loss: loss / set.labels.length, accuracy: hits / set.labels.length };
}

function evaluate() {
  const train = score(state.train);
  const heldOut = score(state.heldOut);
  state.heldOutHistory.push([state.epoch, heldOut.loss]);
  showValue(ui.epoch, state.epoch, String(state.epoch));
  const epochLoss = state.lossHistory.length > 0 ? state.lossHistory[state.lossHistory.length - 1] : train.loss;
  showValue(ui.loss, epochLoss, epochLoss.toFixed(4));
  showValue(ui.valLoss, heldOut.loss, heldOut.loss.toFixed(4));
  showValue(ui.accuracy, train.accuracy, train.accuracy.toFixed(3));
  showValue(ui.valAccuracy, heldOut.accuracy, heldOut.accuracy.toFixed(3));
}

function showValue(element, value, text) {
  element.dataset.value = String(value);
  element.textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Drawing

/** Sizes a canvas's backing store to its CSS size × devicePixelRatio; returns a context in CSS pixels. */
function context2d(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, width, height };
}

const shade = document.createElement('canvas');
shade.width = GRID;
shade.height = GRID;
const shadeImage = shade.getContext('2d').createImageData(GRID, GRID);
const dots = { canvas: document.createElement('canvas'), source: undefined }; // the points, drawn once

function render() {
  drawBoundary();
  drawLossCurve();
}

function drawBoundary() {
  const { ctx, width, height } = context2d(ui.boundary);
  ctx.fillStyle = '#f4f5f7';
  ctx.fillRect(0, 0, width, height);
  if (state.net !== undefined) {
    // Each cell blends white and its predicted class's tint by how sure the network is.
    const p = state.net.predict(grid);
    const pixels = shadeImage.data;
    for (let k = 0; k < GRID * GRID; k++) {
      const p1 = p.get(k, 1);
      const confidence = Math.abs(2 * p1 - 1); // 0 on the boundary, 1 when sure
      const tint = COLORS[p1 > 0.5 ? 1 : 0].fill;
      for (let c = 0; c < 3; c++) pixels[4 * k + c] = 255 - (255 - tint[c]) * (0.35 + 0.65 * confidence);
      pixels[4 * k + 3] = 255;
    }
    shade.getContext('2d').putImageData(shadeImage, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(shade, 0, 0, width, height);
  }
  drawAxes(ctx, width, height);
  // The points do not move while training: they are drawn once per data set and copied.
  const ratio = window.devicePixelRatio || 1;
  if (dots.source !== state.train || dots.canvas.width !== ui.boundary.width) drawDots(width, height, ratio);
  ctx.drawImage(dots.canvas, 0, 0, width, height);
}

function drawDots(width, height, ratio) {
  dots.canvas.width = Math.round(width * ratio);
  dots.canvas.height = Math.round(height * ratio);
  dots.source = state.train;
  const ctx = dots.canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  if (state.train === undefined) return;
  const toPx = ([x, y]) => [((x + VIEW) / (2 * VIEW)) * width, ((VIEW - y) / (2 * VIEW)) * height];
  ctx.lineWidth = 1.5;
  for (let i = 0; i < state.heldOut.points.length; i++) {
    const [px, py] = toPx(state.heldOut.points[i]);
    ctx.strokeStyle = COLORS[state.heldOut.labels[i]].dot;
    ctx.beginPath();
    ctx.arc(px, py, 3, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.lineWidth = 1;
  for (let i = 0; i < state.train.points.length; i++) {
    const [px, py] = toPx(state.train.points[i]);
    ctx.fillStyle = COLORS[state.train.labels[i]].dot;
    ctx.beginPath();
    ctx.arc(px, py, 3.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}

function drawAxes(ctx, width, height) {
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.08)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(width / 2, 0);
  ctx.lineTo(width / 2, height);
  ctx.moveTo(0, height / 2);
  ctx.lineTo(width, height / 2);
  ctx.stroke();
}

function drawLossCurve() {
  const { ctx, width, height } = context2d(ui.lossCurve);
  const pad = { left: 44, right: 10, top: 10, bottom: 24 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#6b7280';

  const train = state.lossHistory;
  const held = state.heldOutHistory;
  const epochs = Math.max(state.epoch, 1);
  const values = [...train, ...held.map(([, l]) => l)].filter((v) => v > 0 && Number.isFinite(v));
  if (values.length === 0) {
    ctx.strokeStyle = '#d1d5db';
    ctx.strokeRect(pad.left, pad.top, w, h);
    ctx.fillText('press Train', pad.left + w / 2 - 28, pad.top + h / 2);
    return;
  }
  // Decades covering the values, at least one.
  let lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  if (lo === hi) lo = hi - 1;
  const xOf = (epoch) => pad.left + (epoch / epochs) * w;
  const yOf = (loss) => pad.top + ((hi - Math.log10(Math.max(loss, 10 ** lo))) / (hi - lo)) * h;

  ctx.strokeStyle = '#e5e7eb';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let d = lo; d <= hi; d++) {
    const y = yOf(10 ** d);
    ctx.beginPath();
    ctx.moveTo(pad.left, y);
    ctx.lineTo(pad.left + w, y);
    ctx.stroke();
    ctx.fillText(d >= -3 ? String(10 ** d) : `1e${d}`, pad.left - 6, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText('0', pad.left, pad.top + h + 6);
  ctx.textAlign = 'right';
  ctx.fillText(`${epochs} epoch${epochs === 1 ? '' : 's'}`, pad.left + w, pad.top + h + 6);
  ctx.strokeStyle = '#9ca3af';
  ctx.strokeRect(pad.left, pad.top, w, h);

  // At most one point per pixel column.
  const step = Math.max(1, Math.floor(train.length / w));
  ctx.lineWidth = 1.75;
  ctx.strokeStyle = '#111827';
  ctx.beginPath();
  for (let i = 0; i < train.length; i += step) {
    const x = xOf(i + 1), y = yOf(train[i]);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  }
  ctx.stroke();
  ctx.strokeStyle = '#c026d3';
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  const heldStep = Math.max(1, Math.floor(held.length / w));
  for (let i = 0; i < held.length; i += heldStep) {
    const [epoch, loss] = held[i];
    if (i === 0) ctx.moveTo(xOf(epoch), yOf(loss));
    else ctx.lineTo(xOf(epoch), yOf(loss));
  }
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.lineWidth = 1;
}

// ---------------------------------------------------------------------------------------------
// Page wiring

function setStatus(text) {
  document.body.dataset.state = text;
  ui.status.textContent = text;
}

function showMessage(text) {
  ui.message.textContent = text;
}

ui.train.addEventListener('click', start);
ui.stop.addEventListener('click', stop);
ui.reset.addEventListener('click', reset);
for (const input of [ui.dataset, ui.noise, ui.seed, ui.layers, ui.activation]) input.addEventListener('change', reset);
document.getElementById('controls').addEventListener('submit', (event) => event.preventDefault());
window.addEventListener('resize', render);

reset();
