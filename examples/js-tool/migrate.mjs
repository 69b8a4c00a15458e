#!/usr/bin/env node
// The tool's command line: `node migrate.mjs --endpoint URL --stream NAME NAME=IP...`
// migrates each server (NAME=IP) and prints the stream's tasks, as Migration Hub lists them,
// as one JSON line. Without --endpoint it reports to AWS itself.
import { parseArgs } from "node:util";
import { makeClients, migrate } from "./tool.mjs";

const { values, positionals } = parseArgs({
  options: { endpoint: { type: "string" }, region: { type: "string", default: "us-west-2" }, stream: { type: "string" } },
  allowPositionals: true,
});
if (!values.stream || positionals.length === 0) {
  console.error("usage: node migrate.mjs [--endpoint URL] [--region REGION] --stream NAME SERVER=IP...");
  process.exit(2);
}
const servers = positionals.map((pair) => {
  const [name, ip] = pair.split("=");
  if (!name || !ip) {
    console.error(`migrate.mjs: a server is NAME=IP, not ${JSON.stringify(pair)}`);
    process.exit(2);
  }
  return { name, ip };
});
const options = { region: values.region };
if (values.endpoint) options.endpoint = values.endpoint;
try {
  const tasks = await migrate(makeClients(options), values.stream, servers);
  console.log(JSON.stringify(tasks));
} catch (error) {
  console.error(`migrate.mjs: ${error.name}: ${error.message}`);
  process.exit(1);
}
