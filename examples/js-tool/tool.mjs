// A small migration tool on the AWS SDK for JavaScript v3: it reports servers it migrates to
// AWS Migration Hub, as a real tool would. Point it at `python -m fakehub serve` with
// `endpoint` and it talks to fakehub over HTTP exactly as it would talk to AWS.
import {
  CreateProgressUpdateStreamCommand,
  DescribeMigrationTaskCommand,
  ImportMigrationTaskCommand,
  MigrationHubClient,
  NotifyMigrationTaskStateCommand,
  PutResourceAttributesCommand,
  ResourceNotFoundException,
  paginateListDiscoveredResources,
  paginateListMigrationTasks,
  paginateListProgressUpdateStreams,
} from "@aws-sdk/client-migration-hub";
import { GetHomeRegionCommand, MigrationHubConfigClient } from "@aws-sdk/client-migrationhub-config";

/** Test credentials: fakehub checks no signature unless started with --verify-signatures. */
export const TEST_CREDENTIALS = Object.freeze({
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
});

/**
 * The two clients the tool needs. `options` go to both SDK clients as they are (endpoint,
 * region, credentials, maxAttempts, retryStrategy...); without `endpoint` they talk to AWS.
 */
export function makeClients({ region = "us-west-2", credentials = TEST_CREDENTIALS, ...options } = {}) {
  const config = { region, credentials, ...options };
  return { mgh: new MigrationHubClient(config), homeRegion: new MigrationHubConfigClient(config) };
}

/** The account's home region, or undefined when none is set. */
export async function homeRegion(clients) {
  const answer = await clients.homeRegion.send(new GetHomeRegionCommand({}));
  return answer.HomeRegion;
}

export async function createStream(clients, stream) {
  await clients.mgh.send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: stream }));
}

export async function importTask(clients, stream, task) {
  await clients.mgh.send(new ImportMigrationTaskCommand({ ProgressUpdateStream: stream, MigrationTaskName: task }));
}

/** Tell Migration Hub what the server is, so it can map the task to a discovered server. */
export async function putAttributes(clients, stream, task, attributes) {
  await clients.mgh.send(
    new PutResourceAttributesCommand({
      ProgressUpdateStream: stream,
      MigrationTaskName: task,
      ResourceAttributeList: attributes,
    }),
  );
}

/**
 * Report a task's status; `percent` and `detail` are optional. Answers the SDK's output, whose
 * `$metadata.attempts` says how many tries the SDK's retries took.
 */
export function notify(clients, stream, task, { status, percent, detail, at = new Date(), nextUpdateSeconds = 300 }) {
  const reported = { Status: status };
  if (percent !== undefined) reported.ProgressPercent = percent;
  if (detail !== undefined) reported.StatusDetail = detail;
  return clients.mgh.send(
    new NotifyMigrationTaskStateCommand({
      ProgressUpdateStream: stream,
      MigrationTaskName: task,
      Task: reported,
      UpdateDateTime: at,
      NextUpdateSeconds: nextUpdateSeconds,
    }),
  );
}

/** The task as Migration Hub holds it, or null when it does not know the task. */
export async function describeTask(clients, stream, task) {
  try {
    const answer = await clients.mgh.send(
      new DescribeMigrationTaskCommand({ ProgressUpdateStream: stream, MigrationTaskName: task }),
    );
    return answer.MigrationTask;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
}

/** Every page of a paginator, flattened: the SDK follows NextToken. */
async function collect(pages, member) {
  const items = [];
  for await (const page of pages) items.push(...(page[member] ?? []));
  return items;
}

/** Every migration task summary (of one discovered server with `resourceName`). */
export function listTasks(clients, { resourceName, pageSize } = {}) {
  const input = resourceName === undefined ? {} : { ResourceName: resourceName };
  return collect(paginateListMigrationTasks({ client: clients.mgh, pageSize }, input), "MigrationTaskSummaryList");
}

/** Every progress update stream's name. */
export async function listStreams(clients, { pageSize } = {}) {
  const pages = paginateListProgressUpdateStreams({ client: clients.mgh, pageSize }, {});
  const summaries = await collect(pages, "ProgressUpdateStreamSummaryList");
  return summaries.map((summary) => summary.ProgressUpdateStreamName);
}

/** The discovered resources (ADS servers) a task is associated with. */
export function listDiscoveredResources(clients, stream, task, { pageSize } = {}) {
  const input = { ProgressUpdateStream: stream, MigrationTaskName: task };
  return collect(paginateListDiscoveredResources({ client: clients.mgh, pageSize }, input), "DiscoveredResourceList");
}

/**
 * The tool's whole run for a list of servers ({ name, ip }): one stream, one task per server,
 * its IP address, then IN_PROGRESS and COMPLETED. Answers the tasks as Migration Hub lists them.
 */
export async function migrate(clients, stream, servers) {
  await createStream(clients, stream);
  for (const server of servers) {
    await importTask(clients, stream, server.name);
    await putAttributes(clients, stream, server.name, [{ Type: "IPV4_ADDRESS", Value: server.ip }]);
    await notify(clients, stream, server.name, { status: "IN_PROGRESS", percent: 50, detail: "Copying disks" });
    await notify(clients, stream, server.name, { status: "COMPLETED", percent: 100, detail: "Cut over" });
  }
  const tasks = await listTasks(clients);
  return tasks.filter((task) => task.ProgressUpdateStream === stream);
}
