// The tool against `python -m fakehub serve --verify-signatures`: the SDK's real SigV4 signatures
// are checked with the secret the server was given.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { MigrationHubServiceException } from "@aws-sdk/client-migration-hub";

import { TEST_CREDENTIALS, createStream, importTask, listStreams, makeClients, notify } from "../tool.mjs";
import { startFakehub } from "./fakehub.mjs";

let fakehub;

before(async () => {
  const secret = `${TEST_CREDENTIALS.accessKeyId}=${TEST_CREDENTIALS.secretAccessKey}`;
  fakehub = await startFakehub(["--verify-signatures", "--secret", secret]);
});
after(async () => {
  await fakehub?.stop();
});

test("requests signed with the server's secret are answered", async () => {
  const clients = makeClients({ endpoint: fakehub.endpoint });
  await createStream(clients, "Signed");
  assert.ok((await listStreams(clients)).includes("Signed"));
});

test("a wrong secret is refused with InvalidSignatureException", async () => {
  const credentials = { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: "not-the-secret" };
  const clients = makeClients({ endpoint: fakehub.endpoint, credentials });
  await assert.rejects(createStream(clients, "Forged"), (error) => {
    // not an mgh error in the model: the SDK throws its service's base class, named by the code
    assert.ok(error instanceof MigrationHubServiceException);
    assert.equal(error.name, "InvalidSignatureException");
    assert.equal(error.$metadata.httpStatusCode, 400);
    return true;
  });
});

test("after the control clock jumps 20 minutes the SDK corrects its clock from Date and retries", async () => {
  const clients = makeClients({ endpoint: fakehub.endpoint });
  await createStream(clients, "Skewed");
  await importTask(clients, "Skewed", "web-01");
  await fakehub.control("POST", "clock", { advance: 1200 }); // past the 15 minutes of skew allowed
  const answer = await notify(clients, "Skewed", "web-01", { status: "IN_PROGRESS" });
  assert.equal(answer.$metadata.attempts, 2); // "Signature expired", then signed again with the server's time
  const offsetSeconds = clients.mgh.config.systemClockOffset / 1000;
  assert.ok(offsetSeconds > 1100 && offsetSeconds < 1300, `the SDK's clock offset is ${offsetSeconds} s`);
});
