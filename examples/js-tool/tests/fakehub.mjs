// Start `python -m fakehub serve` for a test file and talk to its control API.
// The Python that runs it is $FAKEHUB_PYTHON (pytest sets it to its own), else python3.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const REPOSITORY = fileURLToPath(new URL("../../..", import.meta.url));
const START_TIMEOUT_MS = 30_000;

/** A fakehub server in a child process: { endpoint, control(method, route, body), stop() }. */
export async function startFakehub(flags = []) {
  const python = process.env.FAKEHUB_PYTHON ?? "python3";
  const child = spawn(python, ["-m", "fakehub", "serve", "--port", "0", ...flags], {
    cwd: REPOSITORY,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text) => (stderr += text));
  const endpoint = await firstLine(child, () => stderr);
  return {
    endpoint,
    control: (method, route, body) => control(endpoint, method, route, body),
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    },
  };
}

/** The first line the server prints: its endpoint URL. */
function firstLine(child, stderr) {
  return new Promise((resolve, reject) => {
    let out = "";
    const fail = (why) => {
      child.kill("SIGKILL");
      reject(new Error(`python -m fakehub serve ${why}; its stderr:\n${stderr()}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start python -m fakehub serve: ${error.message} (set FAKEHUB_PYTHON)`));
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!out.includes("\n")) fail(`exited (${code}) before printing its URL`);
    });
    child.stdout.setEncoding("utf8").on("data", (text) => {
      out += text;
      const newline = out.indexOf("\n");
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, newline).trim());
      }
    });
  });
}

/** One control request (`route` under /_fakehub/); answers its JSON, or throws with the server's message. */
export async function control(endpoint, method, route, body) {
  const answer = await fetch(`${endpoint}/_fakehub/${route}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} /_fakehub/${route} answered ${answer.status}: ${text}`);
  return answer.headers.get("content-type") === "application/json" ? JSON.parse(text) : text;
}
