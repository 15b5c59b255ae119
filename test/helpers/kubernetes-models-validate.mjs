// Worker thread for manifest-checker.ts: runs the `kubernetes-models` validators, which ship as ES modules only and
// so cannot be loaded by Jest's CommonJS module system.
//
// Protocol: the main thread posts `{ requests: [{ module, exportName, value }] }` on `workerData.port`, then blocks
// on `workerData.signal` (an Int32Array over a SharedArrayBuffer). This worker answers with
// `{ replies: [{ errors }] }` or `{ failure }`, then stores 1 in the signal and notifies. A kind that
// kubernetes-models does not ship gets no errors: kubernetes-types decides which kinds exist.
import { workerData } from 'node:worker_threads';

const { port, signal } = workerData;
const models = new Map();

async function loadModel(module, exportName) {
  const key = `${module}#${exportName}`;
  if (!models.has(key)) {
    models.set(key, import(module).then(m => m[exportName]).catch(error => {
      if (error.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || error.code === 'ERR_MODULE_NOT_FOUND') {
        return undefined;
      }
      throw error;
    }));
  }
  return models.get(key);
}

function summarize(error) {
  return {
    instancePath: error.instancePath,
    keyword: error.keyword,
    params: error.params,
    message: error.message,
  };
}

async function validateOne({ module, exportName, value }) {
  const Model = await loadModel(module, exportName);
  if (Model === undefined) {
    return { errors: [] };
  }
  try {
    new Model(value).validate();
    return { errors: [] };
  } catch (error) {
    if (!Array.isArray(error.errors)) {
      throw error;
    }
    return { errors: error.errors.map(summarize) };
  }
}

function reply(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on('message', async ({ requests }) => {
  try {
    const replies = [];
    for (const request of requests) {
      replies.push(await validateOne(request));
    }
    reply({ replies });
  } catch (error) {
    reply({ failure: String(error && error.stack ? error.stack : error) });
  }
});
