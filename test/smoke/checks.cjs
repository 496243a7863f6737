// The checks of the two smoke tests, given the deltaprop module as smoke.mjs imports it or as
// smoke.cjs requires it: train XOR briefly, predict, round-trip JSON, and misuse throws a
// DeltapropError naming the argument. Returns the failures (an empty list when all is well).
'use strict';

function smokeChecks(deltaprop) {
  const { Network, DeltapropError, TrainingError } = deltaprop;
  const failures = [];
  const check = (ok, what) => {
    if (!ok) failures.push(what);
  };
  try {
    check(typeof Network === 'function', 'Network is exported');
    check(typeof DeltapropError === 'function', 'DeltapropError is exported');
    check(typeof TrainingError === 'function' && TrainingError.prototype instanceof DeltapropError, 'TrainingError extends DeltapropError');

    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const y = [[0], [1], [1], [0]];
    const net = Network.create({ input: 2, layers: [{ units: 4, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 1 });
    const history = net.fit(x, y, { learningRate: 0.5, batchSize: 4, epochs: 1000, seed: 1 });
    const last = history.epochs[history.epochs.length - 1];
    check(history.epochs.length === 1000, 'fit ran 1000 epochs');
    check(last.accuracy === 1, `XOR accuracy is 1 (got ${last.accuracy})`);
    const z = net.predict(x);
    for (let i = 0; i < 4; i++) check((z.get(i, 0) >= 0.5 ? 1 : 0) === y[i][0], `XOR prediction ${i}`);
    check(net.predict([1, 0]) instanceof Float64Array, 'predict of one sample gives a Float64Array');

    const again = Network.fromJSON(JSON.stringify(net.toJSON()));
    check(again.predict([0, 1])[0] === net.predict([0, 1])[0], 'JSON round trip predicts the same');

    for (const [misuse, argument] of [
      [() => net.fit(x, y, { learningRate: -1 }), /learningRate/],
      [() => Network.create({ input: 2, layers: [{ units: 0 }] }), /units/],
    ]) {
      let thrown;
      try {
        misuse();
      } catch (error) {
        thrown = error;
      }
      check(thrown instanceof DeltapropError && thrown instanceof Error, `misuse throws DeltapropError (${argument.source})`);
      check(thrown !== undefined && argument.test(thrown.message), `the message names the argument ${argument.source}`);
    }
  } catch (error) {
    failures.push(`unexpected error: ${error && error.stack ? error.stack : String(error)}`);
  }
  return failures;
}

module.exports = { smokeChecks };
