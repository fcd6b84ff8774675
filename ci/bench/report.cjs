// Summarises ci/bench.sh's runs.jsonl: medians with min/max per client and cell, the ratios, and the targets.
//   node ci/bench/report.cjs RUNS_JSONL MACHINE_JSON OUT_DIR    (writes OUT_DIR/results.json and results.md)
// Every figure comes from the sessions of this one run; warm-up sessions are left out.
'use strict';
const fs = require('fs');
const path = require('path');

const [runsFile, machineJson, outDir] = process.argv.slice(2);
const machine = JSON.parse(machineJson);
const lines = fs.readFileSync(runsFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
const runs = lines.map((l) => JSON.parse(l)).filter((r) => r.phase !== 'warmup');

const inBytes = (s) => s.http.wire_bytes_in + s.websocket.wire_bytes_in;
const inPayload = (s) => s.http.payload_bytes_in + s.websocket.payload_bytes_in;

function measure(r) {
  const s = r.stats;
  const b = r.baseline;
  const wall = (r.end_us - r.start_us) / 1000;
  const firstByte = Math.min(...s.request_first_byte_micros);
  const startup = (firstByte - r.start_us) / 1000;
  const turns = r.size + 1; // tools:N = N tool turns + the answer
  const injected = s.injected_server_time_ms;
  const m = {
    wall_ms: wall,
    startup_ms: startup,
    injected_ms: injected,
    overhead_per_turn_ms: (wall - injected - startup) / turns,
    upload_wire_bytes: inBytes(s) - inBytes(b),
    upload_payload_bytes: inPayload(s) - inPayload(b),
    tcp_connections: s.tcp_connections - b.tcp_connections,
    handshakes: s.websocket_handshakes,
    requests: s.requests.http + s.requests.websocket,
    incremental_creates: s.incremental_creates,
    cpu_ms: r.cpu_ms,
  };
  if (r.metrics && Array.isArray(r.metrics.turns)) {
    const t = r.metrics.turns;
    const med = (xs) => median(xs.filter((x) => x >= 0));
    m.runner_client_ms = med(t.map((x) => x.client_ms));
    m.runner_first_event_ms = med(t.map((x) => x.first_event_ms));
    m.runner_tool_ms = med(t.flatMap((x) => (x.tools || []).map((y) => y.ms)));
    m.runner_reported_startup_ms = r.metrics.session.startup_to_first_request_ms;
  }
  return m;
}

function median(xs) {
  if (xs.length === 0) return null;
  const a = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(a.length / 2);
  return a.length % 2 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
}

const groups = new Map();
for (const r of runs) {
  const key = [r.phase, r.size, r.latency, r.client].join('|');
  if (!groups.has(key)) groups.set(key, { phase: r.phase, size: r.size, latency: r.latency, client: r.client, runs: [] });
  groups.get(key).runs.push(measure(r));
}
const summary = [];
for (const g of groups.values()) {
  const out = { phase: g.phase, size: g.size, latency: g.latency, client: g.client, n: g.runs.length, metrics: {} };
  for (const k of Object.keys(g.runs[0])) {
    const xs = g.runs.map((m) => m[k]).filter((x) => x !== null && x !== undefined);
    if (xs.length) out.metrics[k] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  }
  summary.push(out);
}
const find = (phase, size, latency, client) =>
  summary.find((s) => s.phase === phase && s.size === size && s.latency === latency && s.client === client);
const med = (g, k) => (g && g.metrics[k] ? g.metrics[k].median : null);

// --- formatting -------------------------------------------------------------------------------------------------
const fmt = (x, d = 0) => (x === null || x === undefined ? '–' : Number(x).toFixed(d));
const kb = (x) => (x === null || x === undefined ? '–' : (x / 1024).toFixed(x < 10240 ? 1 : 0));
const mmm = (g, k, d = 0, f = (x) => fmt(x, d)) =>
  g && g.metrics[k] ? `${f(g.metrics[k].median)} (${f(g.metrics[k].min)}–${f(g.metrics[k].max)})` : '–';
const cpuS = (g) => (med(g, 'cpu_ms') === null ? '–' : fmt(med(g, 'cpu_ms') / 1000, 2));
const label = (c) => {
  const [kind, transport, sandbox] = c.split(':');
  return `${kind} ${transport === 'websocket' ? 'WS' : 'HTTP'}${sandbox === 'on' ? ' +sandbox' : ''}`;
};

const md = [];
md.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, Linux ${machine.kernel}; ` +
  `${machine.java}; node ${machine.node}; codex-cli ${machine.codex}; commit ${machine.commit}. ` +
  `Load average before/after: ${machine.load_before} / ${machine.load_after}. Duration ${machine.duration_s} s.`);
md.push('');

const startupRows = summary.filter((s) => s.phase === 'startup');
if (startupRows.length) {
  md.push(`**Start-up** (process start → first request byte at the emulator; tools:1, zero latency; ms, median (min–max), n=${startupRows[0].n})`);
  md.push('');
  md.push('| client | start-up ms | tools:1 wall ms | CPU s |');
  md.push('|---|---|---|---|');
  for (const s of startupRows) {
    const name = label(s.client).replace('runner-aot', 'runner (AOT cache)').replace('runner-noaot', 'runner (no AOT cache)');
    md.push(`| ${name} | ${mmm(s, 'startup_ms')} | ${mmm(s, 'wall_ms')} | ${cpuS(s)} |`);
  }
  md.push('');
}

const cells = [...new Set(summary.filter((s) => s.phase === 'matrix').map((s) => `${s.size}|${s.latency}`))];
cells.sort((a, b) => {
  const [sa, la] = a.split('|');
  const [sb, lb] = b.split('|');
  return la === lb ? sa - sb : la === 'zero' ? -1 : 1;
});
for (const cell of cells) {
  const [size, latency] = cell.split('|');
  const rows = summary.filter((s) => s.phase === 'matrix' && String(s.size) === size && s.latency === latency);
  md.push(`**tools:${size}, ${latency} latency** (n=${rows[0].n}; wall, start-up and overhead in ms as median (min–max); ` +
    'overhead/turn = (wall − injected server time − start-up) / turns; upload from the emulator, KiB on the wire)');
  md.push('');
  md.push('| client | wall | start-up | overhead/turn | CPU s | upload KiB (wire) | upload KiB (JSON) | TCP conns | WS handshakes | wall ÷ codex |');
  md.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const s of rows) {
    const [kind, transport, sandbox] = s.client.split(':');
    const codex = find('matrix', s.size, s.latency, `codex:${transport}:${sandbox}`);
    const ratio = kind === 'runner' && codex ? fmt(med(s, 'wall_ms') / med(codex, 'wall_ms'), 2) : '';
    md.push(`| ${label(s.client)} | ${mmm(s, 'wall_ms')} | ${mmm(s, 'startup_ms')} | ${mmm(s, 'overhead_per_turn_ms', 1)} | ${cpuS(s)} | ` +
      `${kb(med(s, 'upload_wire_bytes'))} | ${kb(med(s, 'upload_payload_bytes'))} | ${fmt(med(s, 'tcp_connections'))} | ` +
      `${fmt(med(s, 'handshakes'))} | ${ratio} |`);
  }
  md.push('');
}

// --- targets ----------------------------------------------------------------------------------------------------
const targets = [];
function target(name, value, limit, unit, note) {
  const pass = value !== null && value !== undefined && !Number.isNaN(value) ? value <= limit : null;
  targets.push({ target: name, value, limit, unit, pass, note: note || '' });
}
const z40 = (c) => find('matrix', 40, 'zero', c);
target('client overhead/turn, WS, sandbox off', med(z40('runner:websocket:off'), 'overhead_per_turn_ms'), 5, 'ms');
target('client overhead/turn, HTTP, sandbox off', med(z40('runner:http:off'), 'overhead_per_turn_ms'), 8, 'ms');
target('client overhead/turn, WS, sandbox on', med(z40('runner:websocket:on'), 'overhead_per_turn_ms'), 15, 'ms');
target('client overhead/turn, HTTP, sandbox on', med(z40('runner:http:on'), 'overhead_per_turn_ms'), 15, 'ms');
target('start-up with AOT cache (WS)', med(find('startup', 1, 'zero', 'runner-aot:websocket:off'), 'startup_ms'), 250, 'ms');
target('start-up with AOT cache (HTTP)', med(find('startup', 1, 'zero', 'runner-aot:http:off'), 'startup_ms'), 250, 'ms');
for (const t of ['websocket', 'http']) {
  for (const sb of ['off', 'on']) {
    const r = med(z40(`runner:${t}:${sb}`), 'wall_ms');
    const c = med(z40(`codex:${t}:${sb}`), 'wall_ms');
    target(`tools:40 wall ÷ codex, ${t === 'websocket' ? 'WS' : 'HTTP'}, sandbox ${sb}`, r && c ? r / c : null, 0.2, '×');
  }
}
target('TCP connections per HTTP session (tools:40)', med(z40('runner:http:off'), 'tcp_connections'), 1, '');
{
  const r = med(z40('runner:websocket:off'), 'upload_wire_bytes');
  const c = med(z40('codex:websocket:off'), 'upload_wire_bytes');
  target('WS upload ÷ codex, tools:40 (wire bytes)', r && c ? r / c : null, 0.25, '×');
  const rp = med(z40('runner:websocket:off'), 'upload_payload_bytes');
  const cp = med(z40('codex:websocket:off'), 'upload_payload_bytes');
  target('WS upload ÷ codex, tools:40 (JSON before compression)', rp && cp ? rp / cp : null, 0.25, '×', 'informative');
}
{
  const ws = med(find('matrix', 40, 'realistic', 'runner:websocket:off'), 'wall_ms');
  const http = med(find('matrix', 40, 'realistic', 'runner:http:off'), 'wall_ms');
  target('realistic tools:40: runner WS ÷ runner HTTP wall', ws && http ? ws / http : null, 0.6, '×');
  // the same ratio for the emulator's injected server time alone: what the profile gives, before any client time
  const wsServer = med(find('matrix', 40, 'realistic', 'runner:websocket:off'), 'injected_ms');
  const httpServer = med(find('matrix', 40, 'realistic', 'runner:http:off'), 'injected_ms');
  target('realistic tools:40: injected server time alone, WS ÷ HTTP', wsServer && httpServer ? wsServer / httpServer
    : null, 0.6, '×', 'informative');
}
md.push('**Targets** (tools:40 unless noted)');
md.push('');
md.push('| target | measured | limit | |');
md.push('|---|---|---|---|');
for (const t of targets) {
  const v = t.unit === '×' ? fmt(t.value, 3) : fmt(t.value, 1);
  const verdict = t.pass === null ? 'not measured' : t.note === 'informative' ? '(informative)' : t.pass ? 'met' : 'MISSED';
  const u = t.unit && t.unit !== '×' ? ' ' + t.unit : '';
  md.push(`| ${t.target} | ${v}${u} | ≤ ${t.limit}${u} | ${verdict} |`);
}
md.push('');

// Runner-internal numbers from --metrics, to see where the runner's own time goes.
const diag = summary.filter((s) => s.phase === 'matrix' && s.client.startsWith('runner') && s.metrics.runner_client_ms);
if (diag.length) {
  md.push('**Runner per-turn breakdown** (from `--metrics`, median of per-session medians, ms)');
  md.push('');
  md.push('| cell | client | client_ms/turn | first_event_ms | tool ms | runner-reported start-up |');
  md.push('|---|---|---|---|---|---|');
  for (const s of diag) {
    md.push(`| tools:${s.size} ${s.latency} | ${label(s.client)} | ${fmt(med(s, 'runner_client_ms'), 1)} | ` +
      `${fmt(med(s, 'runner_first_event_ms'), 1)} | ${fmt(med(s, 'runner_tool_ms'), 1)} | ${fmt(med(s, 'runner_reported_startup_ms'))} |`);
  }
  md.push('');
}

const text = md.join('\n');
fs.writeFileSync(path.join(outDir, 'results.md'), text + '\n');
fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ machine, summary, targets }, null, 2) + '\n');
process.stdout.write(text + '\n');
