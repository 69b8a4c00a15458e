// The tool against `python -m fakehub serve`, over HTTP, with the real AWS SDK for JavaScript v3.
// Run: `node --test examples/js-tool/test/` (after `npm ci --prefix examples/js-tool`).
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";

import { InvalidInputException, ResourceNotFoundException, ThrottlingException } from "@aws-sdk/client-migration-hub";
import { ConfiguredRetryStrategy } from "@smithy/util-retry";

import {
  createStream,
  describeTask,
  homeRegion,
  importTask,
  listDiscoveredResources,
  listStreams,
  listTasks,
  makeClients,
  migrate,
  notify,
  putAttributes,
} from "../tool.mjs";
import { startFakehub } from "./fakehub.mjs";

let fakehub;
let clients;

before(async () => {
  fakehub = await startFakehub();
});
after(async () => {
  await fakehub?.stop();
});
beforeEach(async () => {
  await fakehub.control("POST", "reset"); // a fresh hub and fakehub's clock back to real time
  clients = makeClients({ endpoint: fakehub.endpoint });
});

test("a stream and an imported task", async () => {
  await createStream(clients, "Mover");
  await importTask(clients, "Mover", "web-01");
  assert.deepEqual(await listStreams(clients), ["Mover"]);
  const task = await describeTask(clients, "Mover", "web-01");
  assert.equal(task.ProgressUpdateStream, "Mover");
  assert.equal(task.MigrationTaskName, "web-01");
  assert.equal(await homeRegion(clients), "us-west-2"); // home region "auto": the first call's region
});

test("resource attributes are kept as sent", async () => {
  await createStream(clients, "Mover");
  await importTask(clients, "Mover", "web-01");
  const attributes = [
    { Type: "IPV4_ADDRESS", Value: "10.0.0.7" },
    { Type: "FQDN", Value: "web-01.example.com" },
  ];
  await putAttributes(clients, "Mover", "web-01", attributes);
  assert.deepEqual((await describeTask(clients, "Mover", "web-01")).ResourceAttributeList, attributes);
});

test("auto-mapping happens when the control clock passes its due time", async () => {
  const { configuration_id: serverId } = await fakehub.control("POST", "servers", {
    hostname: "web-01",
    ip_addresses: ["10.0.0.7"],
  });
  await createStream(clients, "Mover");
  await importTask(clients, "Mover", "web-01");
  await putAttributes(clients, "Mover", "web-01", [{ Type: "IPV4_ADDRESS", Value: "10.0.0.7" }]);
  await fakehub.control("POST", "clock", { advance: 600 });
  // the read itself applies what is due (the SDK re-bases its clock on the 10-minute jump)
  assert.deepEqual(await listDiscoveredResources(clients, "Mover", "web-01"), [{ ConfigurationId: serverId }]);
  assert.deepEqual((await fakehub.control("POST", "settle")).steps, 0);
  const mapped = await listTasks(clients, { resourceName: serverId });
  assert.deepEqual(
    mapped.map((task) => task.MigrationTaskName),
    ["web-01"],
  );
});

test("auto-mapping applied at once by the control API's settle", async () => {
  const { configuration_id: serverId } = await fakehub.control("POST", "servers", { ip_addresses: ["10.0.0.9"] });
  await createStream(clients, "Mover");
  await importTask(clients, "Mover", "db-01");
  await putAttributes(clients, "Mover", "db-01", [{ Type: "IPV4_ADDRESS", Value: "10.0.0.9" }]);
  assert.equal((await fakehub.control("POST", "settle")).steps, 1);
  assert.deepEqual(await listDiscoveredResources(clients, "Mover", "db-01"), [{ ConfigurationId: serverId }]);
});

test("notify: the status, progress and detail reported are what Migration Hub shows", async () => {
  await createStream(clients, "Mover");
  await importTask(clients, "Mover", "web-01");
  const at = new Date(Math.floor(Date.now() / 1000) * 1000);
  await notify(clients, "Mover", "web-01", { status: "IN_PROGRESS", percent: 40, detail: "Copying disks", at });
  const task = await describeTask(clients, "Mover", "web-01");
  assert.deepEqual(task.Task, { Status: "IN_PROGRESS", ProgressPercent: 40, StatusDetail: "Copying disks" });
  assert.equal(task.UpdateDateTime.getTime(), at.getTime());
  await notify(clients, "Mover", "web-01", { status: "COMPLETED", percent: 100 });
  assert.equal((await describeTask(clients, "Mover", "web-01")).Task.Status, "COMPLETED");
});

test("the tool's whole run", async () => {
  const tasks = await migrate(clients, "Mover", [
    { name: "web-01", ip: "10.0.0.7" },
    { name: "web-02", ip: "10.0.0.8" },
  ]);
  assert.deepEqual(
    tasks.map((task) => [task.MigrationTaskName, task.Status, task.ProgressPercent]),
    [
      ["web-01", "COMPLETED", 100],
      ["web-02", "COMPLETED", 100],
    ],
  );
});

test("paged listings: the SDK's paginators follow NextToken to the last page", async () => {
  const streams = ["Alpha", "Bravo", "Charlie"];
  for (const stream of streams) await createStream(clients, stream);
  const names = Array.from({ length: 7 }, (_, index) => `task-${index}`);
  for (const name of names) await importTask(clients, "Alpha", name);

  assert.deepEqual((await listStreams(clients, { pageSize: 1 })).sort(), streams);
  const tasks = await listTasks(clients, { pageSize: 2 });
  assert.deepEqual(tasks.map((task) => task.MigrationTaskName).sort(), names);
  const journal = await fakehub.control("GET", "journal");
  const listCalls = journal
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.operation === "ListMigrationTasks");
  assert.equal(listCalls.length, 4); // 7 tasks, 2 a page
});

test("a modeled error is thrown as its class, with its message", async () => {
  await assert.rejects(importTask(clients, "NoSuchStream", "web-01"), (error) => {
    assert.ok(error instanceof ResourceNotFoundException, `${error.name} is not ResourceNotFoundException`);
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.match(error.message, /NoSuchStream/);
    return true;
  });
  await createStream(clients, "Mover");
  await importTask(clients, "Mover", "web-01");
  await assert.rejects(notify(clients, "Mover", "web-01", { status: "IN_PROGRESS", percent: 101 }), InvalidInputException);
  assert.equal(await describeTask(clients, "Mover", "unknown"), null); // the tool catches it by class
});

test("a throttling fault is retried by the SDK", async () => {
  // The SDK's own retry strategy classifies ThrottlingException as retryable; a short backoff
  // keeps the test quick (the default waits up to 0.5 s, then 1 s, for throttling).
  const fast = makeClients({ endpoint: fakehub.endpoint, retryStrategy: new ConfiguredRetryStrategy(3, () => 10) });
  await createStream(fast, "Mover");
  await importTask(fast, "Mover", "web-01");
  await fakehub.control("POST", "faults", { operation: "NotifyMigrationTaskState", code: "ThrottlingException", times: 2 });
  const answer = await notify(fast, "Mover", "web-01", { status: "IN_PROGRESS", percent: 10 });
  assert.equal(answer.$metadata.attempts, 3);
  assert.equal((await describeTask(fast, "Mover", "web-01")).Task.Status, "IN_PROGRESS");
  const [rule] = (await fakehub.control("GET", "faults")).rules;
  assert.equal(rule.fired, 2);
  assert.equal(rule.exhausted, true);
});

test("a throttling fault outlasting the SDK's attempts reaches the tool as ThrottlingException", async () => {
  const once = makeClients({ endpoint: fakehub.endpoint, maxAttempts: 1 });
  await createStream(once, "Mover");
  await importTask(once, "Mover", "web-01");
  await fakehub.control("POST", "faults", { operation: "NotifyMigrationTaskState", code: "ThrottlingException", times: 1 });
  await assert.rejects(notify(once, "Mover", "web-01", { status: "IN_PROGRESS" }), (error) => {
    assert.ok(error instanceof ThrottlingException, `${error.name} is not ThrottlingException`);
    assert.equal(error.$metadata.attempts, 1);
    return true;
  });
});
