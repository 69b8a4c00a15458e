// Per-call cost of the AWS SDK for JavaScript v3 (@aws-sdk/client-migration-hub) against one or
// more HTTP endpoints, for `benchmarks/bench_server.py` (section "per call over HTTP, AWS SDK for
// JavaScript v3"); it can also be run by hand:
//
//   node --expose-gc benchmarks/js_per_call.mjs --rounds 9 --per-round 200 \
//        --endpoint canned=http://127.0.0.1:PORT --endpoint fakehub=http://127.0.0.1:PORT notify describe
//
// Every endpoint gets a client of its own. Per operation: a warm-up on each client, then `rounds`
// rounds, each timing `per-round` calls on every client in an order rotated per round (as
// `interleaved` in benchmarks/bench.py does), so the endpoints being compared share the load of
// the moment. Prints one JSON object: each call's time in ns, and median/p10/p90 in µs.
//
// The SDK is the one `npm ci` installs in examples/js-tool (`bash .ci/install-clients`); this
// script installs nothing. The request bodies are those of `prepare` in bench_server.py.
import { createRequire } from "node:module";
import { parseArgs } from "node:util";

const TOOL_PACKAGE = new URL("../examples/js-tool/package.json", import.meta.url);
const INSTALL_HINT = "run `bash .ci/install-clients` (npm ci in examples/js-tool)";
const STREAM = "BenchTool";
const TASK = "task-001";
const WARM_UP_CALLS = 20; // the JIT and the connection pool settle before anything is timed

/** The SDK module, from the JS tool's node_modules; a message saying how to install it if absent. */
function loadSdk() {
  const require = createRequire(TOOL_PACKAGE);
  try {
    const sdk = require("@aws-sdk/client-migration-hub");
    return { sdk, version: require("@aws-sdk/client-migration-hub/package.json").version };
  } catch (error) {
    console.error(`@aws-sdk/client-migration-hub is not in examples/js-tool: ${INSTALL_HINT}\n${error.message}`);
    process.exit(2);
  }
}

/** Each benchmarked operation: the command and the input bench_server.py's `prepare` sends. */
function operations(sdk) {
  return {
    notify: () =>
      new sdk.NotifyMigrationTaskStateCommand({
        ProgressUpdateStream: STREAM,
        MigrationTaskName: TASK,
        Task: { Status: "IN_PROGRESS", ProgressPercent: 40 },
        UpdateDateTime: new Date(1_700_000_000 * 1000),
        NextUpdateSeconds: 60,
      }),
    describe: () => new sdk.DescribeMigrationTaskCommand({ ProgressUpdateStream: STREAM, MigrationTaskName: TASK }),
    "list-100": () => new sdk.ListMigrationTasksCommand({ MaxResults: 100 }),
  };
}

function client(sdk, endpoint) {
  return new sdk.MigrationHubClient({
    endpoint,
    region: "us-west-2",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
}

/** `count` per-call times (ns) of `call`, after an untimed garbage collection (node --expose-gc). */
async function batch(call, count) {
  globalThis.gc?.();
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - start));
  }
  return times;
}

/** Samples per endpoint for one operation, in rounds whose endpoint order rotates. */
async function interleaved(calls, rounds, perRound) {
  const names = Object.keys(calls);
  for (const name of names) await batch(calls[name], WARM_UP_CALLS);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const k = round % names.length;
    for (const name of [...names.slice(k), ...names.slice(0, k)]) {
      samples[name].push(...(await batch(calls[name], perRound)));
    }
  }
  return samples;
}

function quantileUs(sorted, q) {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] + (sorted[high] - sorted[low]) * (at - low)) / 1000;
}

function figures(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    samples_ns: times,
    median_us: quantileUs(sorted, 0.5),
    p10_us: quantileUs(sorted, 0.1),
    p90_us: quantileUs(sorted, 0.9),
  };
}

function parse() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      endpoint: { type: "string", multiple: true },
      rounds: { type: "string", default: "9" },
      "per-round": { type: "string", default: "200" },
    },
  });
  const endpoints = Object.fromEntries(
    (values.endpoint ?? []).map((pair) => {
      const cut = pair.indexOf("=");
      if (cut < 1) throw new Error(`--endpoint takes NAME=URL, not ${JSON.stringify(pair)}`);
      return [pair.slice(0, cut), pair.slice(cut + 1)];
    }),
  );
  if (Object.keys(endpoints).length === 0) throw new Error("give at least one --endpoint NAME=URL");
  const rounds = Number.parseInt(values.rounds, 10);
  const perRound = Number.parseInt(values["per-round"], 10);
  if (!(rounds > 0 && perRound > 0)) throw new Error("--rounds and --per-round take positive integers");
  const operations = positionals.length ? positionals : ["notify", "describe", "list-100"];
  return { endpoints, rounds, perRound, operations };
}

async function main() {
  const options = parse();
  const { sdk, version } = loadSdk();
  const commands = operations(sdk);
  const unknown = options.operations.filter((name) => !(name in commands));
  if (unknown.length) {
    throw new Error(`unknown operation(s) ${unknown.join(", ")}; known: ${Object.keys(commands).join(", ")}`);
  }
  const clients = Object.fromEntries(Object.entries(options.endpoints).map(([name, url]) => [name, client(sdk, url)]));
  const result = { node: process.version, sdk: version, rounds: options.rounds, per_round: options.perRound };
  result.operations = {};
  for (const operation of options.operations) {
    const calls = Object.fromEntries(
      Object.entries(clients).map(([name, c]) => [name, () => c.send(commands[operation]())]),
    );
    const samples = await interleaved(calls, options.rounds, options.perRound);
    result.operations[operation] = Object.fromEntries(
      Object.entries(samples).map(([name, times]) => [name, figures(times)]),
    );
  }
  for (const c of Object.values(clients)) c.destroy(); // close the kept-alive sockets, so node exits at once
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
