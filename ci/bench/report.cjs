// Summarises ci/bench.sh's runs.jsonl: medians with min/max per client and cell, the ratios, the headline table.
//   node ci/bench/report.cjs RUNS_JSONL MACHINE_JSON OUT_DIR [RESULTS_MD]
// Writes OUT_DIR/results.json and OUT_DIR/results.md (the tables), RESULTS_MD when given (ci/bench/RESULTS.md: the
// headline, method, definitions and the tables), and prints the headline table for README's Performance summary.
// Every figure comes from the sessions of this one run; warm-up sessions are left out.
'use strict';
const fs = require('fs');
const path = require('path');

const [runsFile, machineJson, outDir, resultsMd] = process.argv.slice(2);
const machine = JSON.parse(machineJson);
const lines = fs.readFileSync(runsFile, 'utf8').split('\n').filter((l) => l.trim() !== '');
const all = lines.map((l) => JSON.parse(l));
const runs = all.filter((r) => r.phase !== 'warmup');
if (runs.length === 0) throw new Error(`${runsFile} holds no recorded session`);

const inBytes = (s) => s.http.wire_bytes_in + s.websocket.wire_bytes_in;
const inPayload = (s) => s.http.payload_bytes_in + s.websocket.payload_bytes_in;

function median(xs) {
  if (xs.length === 0) return null;
  const a = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(a.length / 2);
  return a.length % 2 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
}
const usable = (x) => typeof x === 'number' && Number.isFinite(x) && x >= 0;

function measure(r) {
  const s = r.stats;
  const b = r.baseline;
  const wall = (r.end_us - r.start_us) / 1000;
  const startup = (Math.min(...s.request_first_byte_micros) - r.start_us) / 1000;
  const turns = r.size + 1; // N tool turns + the answer
  const m = {
    wall_ms: wall,
    startup_ms: startup,
    injected_ms: s.injected_server_time_ms,
    overhead_per_turn_ms: (wall - s.injected_server_time_ms - startup) / turns,
    upload_wire_bytes: inBytes(s) - inBytes(b),
    upload_payload_bytes: inPayload(s) - inPayload(b),
    tcp_connections: s.tcp_connections - b.tcp_connections,
    handshakes: s.websocket_handshakes,
    cpu_ms: r.cpu_ms,
    load1: r.load1,
  };
  if (r.metrics && Array.isArray(r.metrics.turns)) {
    const t = r.metrics.turns;
    m.runner_client_ms = median(t.map((x) => x.client_ms).filter(usable));
    m.runner_first_event_ms = median(t.map((x) => x.first_event_ms).filter(usable));
    m.runner_tool_ms = median(t.flatMap((x) => (x.tools || []).map((y) => y.ms)).filter(usable));
  }
  return m;
}

const groups = new Map();
for (const r of runs) {
  const key = [r.phase, r.scenario, r.latency, r.client].join('|');
  if (!groups.has(key)) {
    groups.set(key, { phase: r.phase, scenario: r.scenario, latency: r.latency, client: r.client, runs: [] });
  }
  groups.get(key).runs.push(measure(r));
}
const summary = [];
for (const g of groups.values()) {
  const out = { phase: g.phase, scenario: g.scenario, latency: g.latency, client: g.client, n: g.runs.length,
    metrics: {} };
  for (const k of Object.keys(g.runs[0])) {
    const xs = g.runs.map((m) => m[k]).filter((x) => x !== null && x !== undefined);
    if (xs.length) out.metrics[k] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  }
  summary.push(out);
}
const find = (phase, scenario, latency, client) => summary.find((s) => s.phase === phase
  && s.scenario === scenario && s.latency === latency && s.client === client);
const med = (g, k) => (g && g.metrics[k] ? g.metrics[k].median : null);

// --- formatting -------------------------------------------------------------------------------------------------
const fmt = (x, d = 0) => (x === null || x === undefined || Number.isNaN(x) ? '–' : Number(x).toFixed(d));
const kib = (x) => (x === null || x === undefined ? '–' : (x / 1024).toFixed(x < 10240 ? 1 : 0));
const mmm = (g, k, d = 0) =>
  g && g.metrics[k] ? `${fmt(g.metrics[k].median, d)} (${fmt(g.metrics[k].min, d)}–${fmt(g.metrics[k].max, d)})` : '–';
const cpuS = (g) => (med(g, 'cpu_ms') === null ? '–' : fmt(med(g, 'cpu_ms') / 1000, 2));
const KIND = {
  runner: 'runner',
  'runner-noaot': 'runner (no AOT cache)',
  codex: 'codex native, warm home',
  'codex-fresh': 'codex native, fresh home',
  'codex-npm': 'codex npm launcher, warm home',
  'codex-npm-fresh': 'codex npm launcher, fresh home',
};
const label = (c) => {
  const [kind, transport, sandbox] = c.split(':');
  return `${KIND[kind] || kind} ${transport === 'websocket' ? 'WS' : 'HTTP'}${sandbox === 'on' ? ' +sandbox' : ''}`;
};
const ratio = (a, b) => (a !== null && b !== null && b > 0 ? a / b : null);
const pair = (a, b, d = 0, unit = '') => `${fmt(a, d)} / ${fmt(b, d)}${unit}`;

// --- tables -----------------------------------------------------------------------------------------------------
const tables = [];
const startupRows = summary.filter((s) => s.phase === 'startup');
if (startupRows.length) {
  tables.push(`### Start-up (explore:1, zero latency; n=${startupRows[0].n})`, '');
  tables.push('Milliseconds, median (min–max). ÷ runner: this row\'s start-up over the runner\'s (AOT cache) on the ' +
    'same transport.', '');
  tables.push('| client | start-up ms | ÷ runner | explore:1 wall ms | CPU s |');
  tables.push('|---|---|---|---|---|');
  for (const s of startupRows) {
    const transport = s.client.split(':')[1];
    const r = find('startup', s.scenario, s.latency, `runner:${transport}:off`);
    const x = s.client.startsWith('runner:') ? '' : fmt(ratio(med(s, 'startup_ms'), med(r, 'startup_ms')), 2);
    tables.push(`| ${label(s.client)} | ${mmm(s, 'startup_ms')} | ${x} | ${mmm(s, 'wall_ms')} | ${cpuS(s)} |`);
  }
  tables.push('');
}

const cellOrder = (a, b) => {
  const [sa, la] = a.split('|');
  const [sb, lb] = b.split('|');
  if (la !== lb) return la === 'zero' ? -1 : 1;
  const [ka, na] = sa.split(':');
  const [kb, nb] = sb.split(':');
  return ka !== kb ? (ka === 'explore' ? -1 : 1) : na - nb;
};
const cells = [...new Set(summary.filter((s) => s.phase === 'matrix').map((s) => `${s.scenario}|${s.latency}`))]
  .sort(cellOrder);
for (const cell of cells) {
  const [scenario, latency] = cell.split('|');
  const rows = summary.filter((s) => s.phase === 'matrix' && s.scenario === scenario && s.latency === latency);
  const ns = [...new Set(rows.map((s) => s.n))].join('/');
  tables.push(`### ${scenario}, ${latency} latency (n=${ns})`, '');
  tables.push('| client | wall ms | start-up ms | overhead/turn ms | CPU s | upload KiB (wire) | upload KiB (JSON) | ' +
    'TCP conns | WS handshakes | wall ÷ codex native warm |');
  tables.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const s of rows) {
    const [kind, transport, sandbox] = s.client.split(':');
    const codex = find('matrix', scenario, latency, `codex:${transport}:${sandbox}`);
    const x = kind === 'codex' ? '' : fmt(ratio(med(s, 'wall_ms'), med(codex, 'wall_ms')), 2);
    tables.push(`| ${label(s.client)} | ${mmm(s, 'wall_ms')} | ${mmm(s, 'startup_ms')} | ` +
      `${mmm(s, 'overhead_per_turn_ms', 1)} | ${cpuS(s)} | ${kib(med(s, 'upload_wire_bytes'))} | ` +
      `${kib(med(s, 'upload_payload_bytes'))} | ${fmt(med(s, 'tcp_connections'))} | ${fmt(med(s, 'handshakes'))} | ` +
      `${x} |`);
  }
  tables.push('');
}

const diag = summary.filter((s) => s.phase === 'matrix' && s.client.startsWith('runner:') && s.metrics.runner_tool_ms);
if (diag.length) {
  tables.push('### Runner per turn (from `--metrics`; medians of per-session medians, ms)', '');
  tables.push('| cell | client | client ms/turn | first event ms | tool call ms |');
  tables.push('|---|---|---|---|---|');
  for (const s of diag) {
    tables.push(`| ${s.scenario} ${s.latency} | ${label(s.client)} | ${fmt(med(s, 'runner_client_ms'), 1)} | ` +
      `${fmt(med(s, 'runner_first_event_ms'), 1)} | ${fmt(med(s, 'runner_tool_ms'), 1)} |`);
  }
  tables.push('');
}

// --- headline -----------------------------------------------------------------------------------------------------
const headCell = machine.headline_cell.split(' ');
const explore = headCell[0];
const realisticCell = summary.some((s) => s.scenario === explore && s.latency === 'realistic') ? explore : null;
const headline = [];
function headRow(name, scenario, latency, sandbox, metric, phase = 'matrix', codexKind = 'codex') {
  const get = (client) => med(find(phase, scenario, latency, client), metric);
  const rw = get(`runner:websocket:${sandbox}`);
  const rh = get(`runner:http:${sandbox}`);
  const cw = get(`${codexKind}:websocket:${sandbox}`);
  const ch = get(`${codexKind}:http:${sandbox}`);
  if (rw === null && rh === null) return;
  headline.push(`| ${name} | ${pair(rw, rh)} | ${pair(cw, ch)} | ${pair(ratio(rw, cw), ratio(rh, ch), 2)} |`);
}
headline.push('| median ms, WS / HTTP | runner | codex | runner ÷ codex |');
headline.push('|---|---|---|---|');
headRow('start-up (launch → first request)', 'explore:1', 'zero', 'off', 'startup_ms', 'startup');
headRow('start-up, codex via npm launcher + fresh home', 'explore:1', 'zero', 'off', 'startup_ms', 'startup', 'codex-npm-fresh');
headRow(`${explore} wall, zero latency`, explore, 'zero', 'off', 'wall_ms');
headRow(`${explore} wall, zero latency, sandboxed`, explore, 'zero', 'on', 'wall_ms');
if (realisticCell) headRow(`${explore} wall, realistic latency`, explore, 'realistic', 'off', 'wall_ms');
if (summary.some((s) => s.scenario === 'tools:40' && s.latency === 'zero')) {
  headRow('tools:40 (`echo`) wall, zero latency', 'tools:40', 'zero', 'off', 'wall_ms');
}
const loads = runs.map((r) => r.load1).filter(usable);
const loadNote = `load average during the run ${fmt(median(loads), 1)} (max ${fmt(Math.max(...loads), 1)})`;
const headN = find('matrix', explore, 'zero', 'runner:websocket:off');
const startN = startupRows.length ? startupRows[0].n : 0;
const caption = `${machine.date}, ${machine.cores} × ${machine.cpu}, commit ${machine.commit}; codex-cli ` +
  `${machine.codex} as its native binary with a warm CODEX_HOME unless a row says otherwise; ` +
  `n=${headN ? headN.n : 0} per client (${explore}), ${startN} (start-up); ${loadNote}.`;
const headlineText = [caption, '', ...headline].join('\n');

// --- files ------------------------------------------------------------------------------------------------------
const machineLine = `${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, Linux ${machine.kernel}; ` +
  `${machine.java}; node ${machine.node}; codex-cli ${machine.codex} (${machine.codex_native}). Load average ` +
  `(1/5/15 min) before ${machine.load_before}, after ${machine.load_after}; ${loadNote}. Duration ` +
  `${Math.round(machine.duration_s / 60)} min (\`${machine.invocation}\`).`;
fs.writeFileSync(path.join(outDir, 'results.md'), [`Machine: ${machineLine}`, '', ...tables].join('\n'));
fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify({ machine, summary }, null, 2) + '\n');

if (resultsMd) {
  const template = fs.readFileSync(path.join(__dirname, 'RESULTS.template.md'), 'utf8');
  const filled = template
    .replace('{{headline}}', headlineText)
    .replace('{{machine}}', machineLine)
    .replace('{{date}}', machine.date)
    .replace('{{commit}}', machine.commit)
    .replace('{{tables}}', tables.join('\n').trimEnd());
  const left = filled.match(/\{\{[a-z]+\}\}/);
  if (left) throw new Error(`RESULTS.template.md: placeholder ${left[0]} has no value`);
  // the batch section is ci/bench/batch.sh's (a separate run): carried over as it is
  const old = fs.existsSync(resultsMd) ? fs.readFileSync(resultsMd, 'utf8') : '';
  const batch = old.match(/<!-- batch:begin[\s\S]*<!-- batch:end -->/);
  fs.writeFileSync(resultsMd, filled.trimEnd() + '\n' + (batch ? '\n' + batch[0] + '\n' : ''));
}
process.stdout.write(headlineText + '\n');
