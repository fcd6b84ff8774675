// The batch section of the benchmark report, from ci/bench/batch.sh's rows:
//   node ci/bench/batch-report.cjs ROWS_JSONL OUT_DIR RESULTS_MD|"" COMMIT DATE LOAD_BEFORE LOAD_AFTER DURATION_S INVOCATION
// Writes OUT_DIR/batch.md and, when RESULTS_MD is given, replaces the text between the batch markers of
// ci/bench/RESULTS.md (appending it when they are missing). Prints the goals table on stderr.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const [rowsFile, outDir, resultsMd, commit, date, loadBefore, loadAfter, duration, invocation] = process.argv.slice(2);
const rows = fs.readFileSync(rowsFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const BEGIN = '<!-- batch:begin (ci/bench/batch.sh writes this section) -->';
const END = '<!-- batch:end -->';

const f = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? '' : Number(x).toFixed(d));
const find = (pred) => rows.find(pred);
const runs = rows.filter((r) => r.kind !== 'resume');

const table = [
  '| row | tasks | wall s | tasks/s | turns/s | client CPU s (JVM) | CPU ms/task (client + emulator) | emulator CPU s | machine CPU s | peak RSS MB | WS handshakes | TCP conns | ideal s | wall ÷ ideal | load |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];
for (const r of runs) {
  const scale = r.extrapolated_to ? r.extrapolated_to / r.tasks : 1;
  const tasks = r.extrapolated_to ? `${r.tasks} (× ${f(scale, 0)} → ${r.extrapolated_to})` : `${r.tasks}`;
  const wall = r.extrapolated_to ? `${f(r.wall_s)} (→ ${f(r.wall_s * scale, 0)})` : f(r.wall_s);
  const ideal = r.latency === 'realistic' ? f(r.ideal_s) : '';
  const ratio = r.latency === 'realistic' ? f(r.wall_s / r.ideal_s, 2) : '';
  const perTask = ((r.client_cpu_s + r.emulator_cpu_s) * 1000) / r.tasks;
  const jvm = r.jvm_cpu_s === null || r.jvm_cpu_s === undefined ? '' : ` (${f(r.jvm_cpu_s)})`;
  table.push(`| ${r.label} | ${tasks} | ${wall} | ${f(r.tasks_per_s)} | ${f(r.turns_per_s, 0)} | ${f(r.client_cpu_s)}${jvm} | ` +
    `${f(perTask, 0)} | ${f(r.emulator_cpu_s)} | ${f(r.machine_cpu_s)} | ${f(r.peak_rss_mb, 0)} | ${r.ws_handshakes} | ${r.tcp_connections} | ` +
    `${ideal} | ${ratio} | ${f(r.load, 1)} |`);
}

const goals = ['| goal | measured | met |', '|---|---|---|'];
const mark = (ok) => (ok ? 'yes' : '**no**');
const zero = (kind, iso) => find((r) => r.kind === kind && r.scenario === 'tools:4' && r.latency === 'zero' &&
  (r.isolation || 'copy') === iso);
const cpuPerTask = (r) => (r.client_cpu_s + r.emulator_cpu_s) / r.tasks;
// everything the machine spent while the row ran, per task: honest only on an otherwise idle machine
// the CPU a row cost: the whole machine's when recorded (it counts what no process is charged with), else the processes'
const cpuOf = (r) => (r.machine_cpu_s === undefined ? r.client_cpu_s + r.emulator_cpu_s : r.machine_cpu_s);
const machinePerTask = (r) => (r.machine_cpu_s === undefined ? NaN : r.machine_cpu_s / r.tasks);
const versus = (batch, other) => {
  const x = batch.tasks_per_s / other.tasks_per_s;
  const c = cpuPerTask(other) / cpuPerTask(batch);
  return { x, c, text: `${f(x, 1)} × by throughput (${f(batch.tasks_per_s)} vs ${f(other.tasks_per_s, 2)} tasks/s, ` +
    `at load ${f(batch.load, 1)} vs ${f(other.load, 1)}); ${f(c, 1)} × by CPU per task (` +
    `${f(cpuPerTask(batch) * 1000, 0)} vs ${f(cpuPerTask(other) * 1000, 0)} ms, client + emulator; ` +
    `${f(machinePerTask(batch) * 1000, 0)} vs ${f(machinePerTask(other) * 1000, 0)} ms of the whole machine's)` };
};
const ro = zero('batch', 'shared');
const xro = zero('xargs-runner', 'shared');
if (ro && xro) {
  // judged on wall-clock throughput, the goal's own measure; CPU per task beside it shows what the cores allow
  const v = versus(ro, xro);
  goals.push(`| tools:4, zero latency: batch ≥ 10 × the throughput of \`xargs -P 2 runner exec\` (both read-only in ` +
    `one folder) | ${v.text} | ${mark(v.x >= 10)} |`);
}
const cp = zero('batch', 'copy');
const xcp = zero('xargs-runner', 'copy');
if (cp && xcp) {
  goals.push(`| (beside it) batch with a copy of the folder and a git baseline per task ÷ \`xargs -P 2 runner exec\` ` +
    `without sandbox | ${versus(cp, xcp).text} | |`);
}
const xc = zero('xargs-codex', 'copy');
if (cp && xc) {
  goals.push(`| (for comparison) the copy row ÷ \`xargs -P 2 codex exec\` without sandbox | ${versus(cp, xc).text} | |`);
}
const singles = rows.filter((r) => r.kind === 'batch' && r.scenario === 'echo').sort((a, b) => a.tasks - b.tasks);
if (singles.length > 0) {
  const single = singles[0];
  const long = singles.length > 1 ? singles[singles.length - 1] : null;
  // what the cores allow when nothing else runs: every turn costs this much CPU, client and emulator together
  const ceiling = (os.cpus().length * single.turns) / cpuOf(single);
  const longer = long ? `; over ${long.tasks} tasks (the JVM's start and warm-up spread thinner) ` +
    `${f(long.turns_per_s, 0)} turns/s, ${f(cpuOf(long) * 1000 / long.tasks, 2)} ms CPU per turn` : '';
  goals.push(`| single turn, zero latency, c=64: ≥ 1,000 turns/s | ${f(single.turns_per_s, 0)} turns/s at load ` +
    `${f(single.load, 1)}; ${f(cpuOf(single) * 1000 / single.tasks, 2)} ms of the machine's CPU per turn (with the ` +
    `JVM's start), so at most ${f(ceiling, 0)} turns/s on ${os.cpus().length} cores${longer} | ` +
    `${mark(single.turns_per_s >= 1000)} |`);
}
for (const t of ['websocket', 'http']) {
  const r = find((x) => x.kind === 'batch' && x.latency === 'realistic' && x.transport === t);
  if (!r) continue;
  const ratio = r.wall_s / r.ideal_s;
  if (t === 'websocket') {
    const cpu = cpuOf(r);
    goals.push(`| tools:4 realistic, c=256, WS lanes: wall ≤ 1.15 × ideal | ${f(ratio, 2)} × (${f(r.wall_s)} s vs ` +
      `${f(r.ideal_s)} s); the run took ${f(cpu, 0)} CPU s of the machine: within 1.15 × ideal that needs ` +
      `${f(cpu / (1.15 * r.ideal_s), 1)} cores | ${mark(ratio <= 1.15)} |`);
    goals.push(`| … ≤ 16 sockets | ${r.ws_handshakes} WebSocket handshakes, ${r.tcp_connections} TCP connections ` +
      `(the emulator's counters) | ${mark(r.ws_handshakes <= 16 && r.tcp_connections <= 16)} |`);
    goals.push(`| … peak RSS ≤ 512 MB | ${f(r.peak_rss_mb, 0)} MB | ${mark(r.peak_rss_mb <= 512)} |`);
  } else {
    goals.push(`| (beside it) the same over HTTP | ${f(ratio, 2)} × ideal (${f(r.wall_s)} s vs ${f(r.ideal_s)} s), ` +
      `${r.tcp_connections} TCP connections, ${f(r.peak_rss_mb, 0)} MB | |`);
  }
}
const resume = find((r) => r.kind === 'resume');
if (resume) {
  goals.push(`| kill -9 mid-run, then --resume: every id exactly once | killed with ${resume.killed_with_results} of ` +
    `${resume.tasks} results; after --resume ${resume.lines} lines, ${resume.missing} missing, ` +
    `${resume.duplicated} duplicated, ${resume.torn_lines} torn | ${mark(!resume.missing && !resume.duplicated && !resume.torn_lines)} |`);
}

const cpus = os.cpus();
const machine = `${cpus.length} × ${cpus[0].model.split(' ').slice(0, 2).join(' ')}, ` +
  `${Math.round(os.totalmem() / 2 ** 30)} GB; load average before ${loadBefore}, after ${loadAfter}; ` +
  `${Math.round(+duration / 60)} min (\`${invocation}\`)`;
const section = [
  BEGIN,
  '## Batch',
  '',
  `Generated by \`ci/bench.sh --batch\` on ${date} from commit ${commit}; ${machine}.`,
  '',
  '### Goals (issue 22, "Scale")',
  '',
  ...goals,
  '',
  '### Rows',
  '',
  ...table,
  '',
  'Every batch runs `runner batch --provider bench` in an empty folder against `runner emulator` in a separate',
  'process, after a warm-up batch that is not recorded (a provider\'s servers are warm). **read-only** rows run',
  '`-s read-only --workspace shared`: every task in the one folder under the sandbox, as `runner exec` runs; **copy**',
  'rows run `-s danger-full-access --workspace copy`: each task gets a copy of the folder with a git baseline for its',
  'patch. Every task that calls a tool gets a command host of its own. The xargs rows run `runner exec` (the jlink\'d',
  'image with its AOT cache) and codex\'s native binary in the same folder, on a sample whose rate is extrapolated to',
  'the full count (the arrow). **CPU** is user + system time of the client and every process it started (GNU `time`),',
  'in brackets the JVM\'s own (its last `/proc` reading; the rest is bwrap, git, command hosts and tool commands); the',
  'emulator\'s own CPU (from `/proc`) is beside it, since both share the cores. **Ideal** = the emulator\'s injected',
  'server time ÷ the concurrency. **turns/s** counts model responses. Sockets are the emulator\'s own counters.',
  '**machine CPU** is all the CPU time the machine spent while the row ran (`/proc/stat`): it also counts what no',
  'process is charged with, as the kernel\'s namespace clean-up and command hosts whose sandbox ended before reaping',
  'them, so it is the honest figure when nothing else runs.',
  END,
].join('\n');

fs.writeFileSync(path.join(outDir, 'batch.md'), section + '\n');
if (resultsMd) {
  const old = fs.existsSync(resultsMd) ? fs.readFileSync(resultsMd, 'utf8') : '';
  const a = old.indexOf(BEGIN);
  const b = old.indexOf(END);
  const next = a >= 0 && b > a ? old.slice(0, a) + section + old.slice(b + END.length)
    : old.trimEnd() + '\n\n' + section + '\n';
  fs.writeFileSync(resultsMd, next);
}
console.error(goals.join('\n'));
