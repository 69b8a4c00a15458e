// A person watching the live console while a tool reports, in a real browser:
//   node tests/js/watch_console.mjs ENDPOINT SCREENSHOT.png
// The JS tool reports a task; headless Chromium (driven over the DevTools protocol on a pipe)
// opens ENDPOINT/ and the rendered table is read; the tool reports more; the page reloads by
// itself (its refresh meta tag: nothing here navigates again) and the table is read again.
// Prints one JSON line: { before, after, reloads } (tables as rows of cell texts).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { createStream, importTask, makeClients, notify } from "../../examples/js-tool/tool.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const WAIT_MS = 20_000; // bound on each wait for the browser; the page refreshes every 2 s

const [endpoint, screenshotPath] = process.argv.slice(2);
if (!endpoint || !screenshotPath) {
  console.error("usage: node watch_console.mjs ENDPOINT SCREENSHOT.png");
  process.exit(2);
}

/** Chromium with the DevTools protocol on fds 3 (commands in) and 4 (answers out). */
function launch(profile) {
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${profile}`,
    "--window-size=1100,700",
    "--remote-debugging-pipe",
  ];
  const browser = spawn(CHROMIUM, flags, { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] });
  let stderr = "";
  browser.stdio[2].setEncoding("utf8").on("data", (text) => (stderr += text));
  return { browser, stderr: () => stderr };
}

/** The DevTools protocol over the pipe: messages are JSON, each ended by a NUL byte. */
function devtools(browser, stderr) {
  let nextId = 1;
  const waiting = new Map();
  const listeners = new Set();
  let buffer = "";
  browser.stdio[4].setEncoding("utf8").on("data", (text) => {
    buffer += text;
    let end;
    while ((end = buffer.indexOf("\0")) >= 0) {
      const message = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (message.id !== undefined) {
        const { resolve, reject } = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error) reject(new Error(`DevTools: ${JSON.stringify(message.error)}`));
        else resolve(message.result);
      } else {
        for (const listener of listeners) listener(message);
      }
    }
  });
  browser.on("exit", (code) => {
    for (const { reject } of waiting.values()) reject(new Error(`Chromium exited (${code}):\n${stderr()}`));
  });
  return {
    send(method, params = {}, sessionId) {
      const id = nextId++;
      browser.stdio[3].write(JSON.stringify({ id, method, params, sessionId }) + "\0");
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    },
    /** The next event named `method` (of the session), within WAIT_MS. */
    next(method, sessionId) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no ${method} within ${WAIT_MS} ms`));
        }, WAIT_MS);
        const listener = (message) => {
          if (message.method === method && message.sessionId === sessionId) {
            clearTimeout(timer);
            listeners.delete(listener);
            resolve(message.params);
          }
        };
        listeners.add(listener);
      });
    },
  };
}

/** Every table row of the rendered page, as the browser shows its cells' text. */
const READ_TABLES = `[...document.querySelectorAll("tr")].map((row) => [...row.cells].map((cell) => cell.innerText))`;

async function readTables(cdp, sessionId) {
  const { result } = await cdp.send("Runtime.evaluate", { expression: READ_TABLES, returnByValue: true }, sessionId);
  return result.value;
}

const clients = makeClients({ endpoint });
await createStream(clients, "Mover");
await importTask(clients, "Mover", "web-01");
await notify(clients, "Mover", "web-01", { status: "IN_PROGRESS", percent: 40, detail: "Copying disks" });

const profile = mkdtempSync(join(tmpdir(), "fakehub-chromium-"));
const { browser, stderr } = launch(profile);
try {
  const cdp = devtools(browser, stderr);
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  await cdp.send("Page.enable", {}, sessionId);
  const firstLoad = cdp.next("Page.loadEventFired", sessionId);
  await cdp.send("Page.navigate", { url: `${endpoint}/` }, sessionId);
  await firstLoad;
  const before = await readTables(cdp, sessionId);

  await notify(clients, "Mover", "web-01", { status: "COMPLETED", percent: 100, detail: "Cut over" });
  await importTask(clients, "Mover", "web-02");
  await notify(clients, "Mover", "web-02", { status: "IN_PROGRESS", percent: 10, detail: "Starting" });

  // The first navigation that starts after those reports is the page's own refresh.
  await cdp.next("Page.frameStartedLoading", sessionId);
  await cdp.next("Page.loadEventFired", sessionId);
  const after = await readTables(cdp, sessionId);
  const { data } = await cdp.send("Page.captureScreenshot", { format: "png" }, sessionId);
  writeFileSync(screenshotPath, Buffer.from(data, "base64"));
  console.log(JSON.stringify({ before, after }));
  const closed = once(browser, "exit");
  await cdp.send("Browser.close");
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, WAIT_MS).unref())]);
} finally {
  if (browser.exitCode === null && browser.signalCode === null) {
    browser.kill("SIGKILL");
    await once(browser, "exit");
  }
  rmSync(profile, { recursive: true, force: true });
}
