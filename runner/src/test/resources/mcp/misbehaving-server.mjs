// A small MCP server (stdio, newline-delimited JSON-RPC, no dependencies) that misbehaves on purpose, for the
// runner's tests. The mode is the first argument:
//   crash      tools "ok" (answers) and "crash" (the process exits in the middle of the call)
//   hang       tools "ok" and "hang" (never answered)
//   hang-start never answers initialize
//   malformed  tool "ok" plus tools whose inputSchema is malformed ("type": "strnig"; properties not an object)
//   misc       tools "big" (100,000 characters), "fails" (isError), "spawn" (leaves an orphan that sleeps in the
//              server's session, its pid as the answer), "hang" (never answered), "pid" (the server's pid)
import { execSync } from "node:child_process";
import { createInterface } from "node:readline";

const mode = process.argv[2] ?? "crash";
const send = (msg) => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...msg }) + "\n");
const text = (t, isError = false) => ({ content: [{ type: "text", text: t }], isError });
const okTool = { name: "ok", description: "Answers ok.", inputSchema: { type: "object", properties: {} } };

const tools = {
  crash: [okTool, { name: "crash", description: "Exits mid-call.", inputSchema: { type: "object" } }],
  hang: [okTool, { name: "hang", description: "Never answers.", inputSchema: { type: "object" } }],
  malformed: [
    okTool,
    { name: "bad_type", inputSchema: { type: "object", properties: { x: { type: "strnig" } } } },
    { name: "bad_properties", inputSchema: { type: "object", properties: "nope" } },
  ],
  misc: [
    { name: "big", description: "A long text.", inputSchema: { type: "object", properties: {} } },
    { name: "fails", description: "Reports an error.", inputSchema: { type: "object", properties: {} } },
    { name: "spawn", description: "Leaves a sleeping orphan.", inputSchema: { type: "object", properties: {} } },
    { name: "hang", description: "Never answers.", inputSchema: { type: "object" } },
    { name: "pid", description: "The server's process id.", inputSchema: { type: "object" } },
  ],
}[mode] ?? [okTool];

createInterface({ input: process.stdin }).on("line", (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return;
  }
  if (msg.id === undefined) return; // notifications
  switch (msg.method) {
    case "initialize":
      if (mode === "hang-start") return;
      send({ id: msg.id, result: { protocolVersion: msg.params.protocolVersion, capabilities: { tools: {} },
        serverInfo: { name: "misbehaving-" + mode, version: "1.0.0" } } });
      return;
    case "tools/list":
      send({ id: msg.id, result: { tools } });
      return;
    case "tools/call": {
      const name = msg.params.name;
      if (name === "crash") process.exit(3);
      if (name === "hang") return;
      if (name === "pid") return send({ id: msg.id, result: text("pid=" + process.pid) });
      if (name === "big") return send({ id: msg.id, result: text("x".repeat(100000)) });
      if (name === "fails") return send({ id: msg.id, result: text("the tool failed on purpose", true) });
      if (name === "spawn") {
        // sh exits at once: the sleep is re-parented to init, out of reach of a walk over our descendants
        const pid = execSync("sleep 300 >/dev/null 2>&1 & echo $!", { shell: "/bin/sh" }).toString().trim();
        return send({ id: msg.id, result: text(pid) });
      }
      send({ id: msg.id, result: text("ok") });
      return;
    }
    case "ping":
      send({ id: msg.id, result: {} });
      return;
    default:
      send({ id: msg.id, error: { code: -32601, message: "method not found: " + msg.method } });
  }
});
