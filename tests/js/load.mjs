// One node process of the concurrency test: `node tests/js/load.mjs ENDPOINT WORKER CYCLES`
// (WORKER: a number, 0-255, unique among the test's clients).
// The same mixed calls as the Python threads (tests/test_server_concurrency.py), through the JS
// tool with the SDK's retries off, so any error the load causes shows. Prints one JSON line:
// { calls, errors } (errors: the messages of failed calls and of reads that missed a write).
import { createStream, describeTask, importTask, makeClients, notify, putAttributes } from "../../examples/js-tool/tool.mjs";

const [endpoint, worker, cycles] = process.argv.slice(2);
if (!endpoint || !worker || !cycles) {
  console.error("usage: node load.mjs ENDPOINT WORKER CYCLES");
  process.exit(2);
}
const clients = makeClients({ endpoint, maxAttempts: 1 });
const stream = `Load-${worker}`;
let calls = 0;
const errors = [];

async function call(what, action) {
  calls += 1;
  try {
    return await action();
  } catch (error) {
    errors.push(`${what}: ${error.name}: ${error.message}`);
    return undefined;
  }
}

await call("create", () => createStream(clients, stream));
for (let cycle = 0; cycle < Number(cycles); cycle++) {
  const task = `task-${cycle}`;
  const percent = cycle % 100;
  await call("import", () => importTask(clients, stream, task));
  await call("notify", () => notify(clients, stream, task, { status: "IN_PROGRESS", percent }));
  const ip = `10.${worker}.${Math.floor(cycle / 256)}.${cycle % 256}`;
  await call("attributes", () => putAttributes(clients, stream, task, [{ Type: "IPV4_ADDRESS", Value: ip }]));
  await call("shared", () => notify(clients, "Shared", "shared", { status: "IN_PROGRESS", percent }));
  const seen = await call("describe", () => describeTask(clients, stream, task));
  if (seen && (seen.Task.Status !== "IN_PROGRESS" || seen.Task.ProgressPercent !== percent)) {
    errors.push(`describe ${task}: read ${JSON.stringify(seen.Task)} after writing ${percent}%`);
  }
}
console.log(JSON.stringify({ calls, errors }));
