# numpy float64 on one thread (the reference of issue 11): the same MLP, loss and SGD as every
# worker, as a plain numpy loop (relu hidden layers, softmax + categorical cross-entropy fused to
# Z − Y, batch-mean gradients, W ← W − α·ΔW). Run by numpy.mjs (not named numpy.py: python would import it as numpy), which passes the data as raw
# float64 files and the workload as JSON in argv[1]; prints one JSON line of epoch times and the
# test outputs' argmax.
import json
import sys
import time

import numpy as np

spec = json.loads(sys.argv[1])
train_n, test_n, pixels, classes = spec['train'], spec['test'], spec['pixels'], spec['classes']
x = np.fromfile(spec['x'], dtype=np.float64).reshape(train_n, pixels)
y = np.fromfile(spec['y'], dtype=np.float64).reshape(train_n, classes)
test_x = np.fromfile(spec['testX'], dtype=np.float64).reshape(test_n, pixels)
sizes = [pixels] + spec['hidden'] + [classes]
rng = np.random.default_rng(1)
weights, biases = [], []
for n in range(len(sizes) - 1):
    fan_in, fan_out = sizes[n], sizes[n + 1]
    last = n == len(sizes) - 2
    limit = np.sqrt(6 / (fan_in + fan_out)) if last else np.sqrt(6 / fan_in)
    weights.append(rng.uniform(-limit, limit, (fan_out, fan_in)))
    biases.append(np.zeros(fan_out))
lr, batch = spec['learningRate'], spec['batchSize']


def forward(z):
    acts = [z]
    for n, (w, b) in enumerate(zip(weights, biases)):
        a = acts[-1] @ w.T + b
        if n < len(weights) - 1:
            acts.append(np.maximum(a, 0))
        else:
            a = a - a.max(axis=1, keepdims=True)
            e = np.exp(a)
            acts.append(e / e.sum(axis=1, keepdims=True))
    return acts


epoch_ms, epoch_cpu_ms = [], []
for epoch in range(spec['epochs']):
    t0, c0 = time.perf_counter(), time.process_time()
    order = rng.permutation(train_n)
    for start in range(0, train_n, batch):
        idx = order[start:start + batch]
        acts = forward(x[idx])
        delta = (acts[-1] - y[idx]) / len(idx)
        for n in range(len(weights) - 1, -1, -1):
            gw = delta.T @ acts[n]
            gb = delta.sum(axis=0)
            if n > 0:
                delta = (delta @ weights[n]) * (acts[n] > 0)
            weights[n] -= lr * gw
            biases[n] -= lr * gb
    epoch_ms.append((time.perf_counter() - t0) * 1000)
    epoch_cpu_ms.append((time.process_time() - c0) * 1000)

predicted = forward(test_x)[-1].argmax(axis=1)
print(json.dumps({'epochMs': epoch_ms, 'epochCpuMs': epoch_cpu_ms, 'predicted': predicted.tolist(), 'numpy': np.__version__}))
