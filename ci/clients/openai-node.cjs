// openai-node against the runner emulator: client.responses.create (plain JSON and SSE stream) and ResponsesWS
// (two chained turns over one WebSocket). Each scenario plays a shell tool call, then a final message (emulator
// scenario tools:1). Prints one JSON summary line on stdout; exits 1 with a message on stderr on any failure.
//   CONFORMANCE_NPM_DIR=.cache/npm EMULATOR_BASE_URL=http://127.0.0.1:PORT/v1 node ci/clients/openai-node.cjs
'use strict';
const path = require('node:path');
const { createRequire } = require('node:module');

const npmDir = process.env.CONFORMANCE_NPM_DIR;
const baseURL = process.env.EMULATOR_BASE_URL;
if (!npmDir || !baseURL) {
  console.error('openai-node: set CONFORMANCE_NPM_DIR (where openai and ws are installed) and EMULATOR_BASE_URL');
  process.exit(2);
}
const load = createRequire(path.join(path.resolve(npmDir), 'package.json'));
const openai = load('openai');
const OpenAI = openai.OpenAI ?? openai.default;
const { ResponsesWS } = load('openai/resources/responses/ws');

const model = 'mock-model';
const TURN_TIMEOUT_MS = 20000;
const tools = [{
  type: 'function', name: 'shell', description: 'Runs a shell command line', strict: false,
  parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
}];
const client = new OpenAI({ apiKey: 'conformance-key', baseURL, maxRetries: 0, timeout: TURN_TIMEOUT_MS });

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function openaiVersion() {
  const file = path.join(path.resolve(npmDir), 'node_modules', 'openai', 'package.json');
  return JSON.parse(require('node:fs').readFileSync(file, 'utf8')).version;
}

/** The one function call a tool turn must hold, and our fake result for it ("echo step 1" prints "step 1"). */
function toolResult(output, where) {
  const calls = output.filter((item) => item.type === 'function_call');
  check(calls.length === 1, `${where}: expected one function_call, got ${JSON.stringify(output)}`);
  const args = JSON.parse(calls[0].arguments);
  check(typeof args.command === 'string', `${where}: shell arguments lack a string command: ${calls[0].arguments}`);
  check(typeof calls[0].call_id === 'string' && calls[0].call_id, `${where}: function_call without call_id`);
  const text = args.command.startsWith('echo ') ? args.command.slice(5) : `ran ${args.command}`;
  return { call: calls[0], item: { type: 'function_call_output', call_id: calls[0].call_id, output: text } };
}

function finalText(response, where) {
  check(response.status === 'completed', `${where}: status ${response.status}, expected completed`);
  const text = response.output.filter((i) => i.type === 'message')
    .flatMap((m) => m.content).filter((c) => c.type === 'output_text').map((c) => c.text).join('');
  check(text.includes('step 1'), `${where}: final message does not mention the tool output: ${JSON.stringify(text)}`);
  return text;
}

function checkSequence(events, where) {
  check(events.length >= 3, `${where}: only ${events.length} events`);
  check(events[0].type === 'response.created', `${where}: first event is ${events[0].type}`);
  check(events[events.length - 1].type === 'response.completed', `${where}: last event is ${events.at(-1).type}`);
  events.forEach((e, i) => {
    check(Number.isInteger(e.sequence_number), `${where}: event ${i} (${e.type}) has no integer sequence_number`);
    if (i > 0) {
      check(e.sequence_number > events[i - 1].sequence_number, `${where}: sequence_number not increasing at ${i}`);
    }
  });
  const added = events.filter((e) => e.type === 'response.output_item.added').length;
  const done = events.filter((e) => e.type === 'response.output_item.done').length;
  check(added === done && done >= 1, `${where}: ${added} output_item.added vs ${done} output_item.done`);
}

async function plainJson() {
  const first = await client.responses.create({ model, input: 'say hi', tools });
  check(first.object === 'response' && first.status === 'completed', `create #1: ${JSON.stringify(first)}`);
  const { item } = toolResult(first.output, 'create #1');
  const input = [{ role: 'user', content: 'say hi' }, ...first.output, item];
  const second = await client.responses.create({ model, input, tools });
  return finalText(second, 'create #2');
}

async function streamed() {
  let input = [{ role: 'user', content: 'say hi, streamed' }];
  const turns = [];
  for (let turn = 1; turn <= 2; turn++) {
    const stream = await client.responses.create({ model, input, tools, stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    checkSequence(events, `stream #${turn}`);
    turns.push(events);
    const response = events.at(-1).response;
    if (turn === 1) input = [...input, ...response.output, toolResult(response.output, 'stream #1').item];
    else finalText(response, 'stream #2');
  }
  return turns.map((t) => t.length);
}

/** Sends one response.create and resolves with its events once response.completed arrives. */
function wsTurn(ws, event, where) {
  return new Promise((resolve, reject) => {
    const events = [];
    const finish = (err) => {
      clearTimeout(timer);
      ws.off('event', onEvent);
      ws.off('error', onError);
      if (err) reject(err); else resolve(events);
    };
    const onEvent = (e) => {
      events.push(e);
      if (e.type === 'response.completed') finish();
      else if (e.type === 'response.failed' || e.type === 'response.incomplete' || e.type === 'error') {
        finish(new Error(`${where}: ${e.type}: ${JSON.stringify(e)}`));
      }
    };
    const onError = (err) => finish(new Error(`${where}: ${err.message}`));
    const timer = setTimeout(() => finish(new Error(`${where}: no response.completed in ${TURN_TIMEOUT_MS} ms`)),
      TURN_TIMEOUT_MS);
    ws.on('event', onEvent);
    ws.on('error', onError);
    ws.send(event);
  });
}

async function websocket() {
  const ws = new ResponsesWS(client);
  try {
    const first = await wsTurn(ws, { type: 'response.create', model, input: 'say hi over ws', tools }, 'ws #1');
    checkSequence(first, 'ws #1');
    const response1 = first.at(-1).response;
    const { item } = toolResult(response1.output, 'ws #1');
    const second = await wsTurn(ws, {
      type: 'response.create', model, previous_response_id: response1.id, input: [item], tools,
    }, 'ws #2');
    checkSequence(second, 'ws #2');
    const response2 = second.at(-1).response;
    check(response2.previous_response_id === response1.id || response2.previous_response_id == null,
      `ws #2: previous_response_id ${response2.previous_response_id} is neither ${response1.id} nor null`);
    return finalText(response2, 'ws #2');
  } finally {
    ws.close({ code: 1000, reason: 'done' });
  }
}

(async () => {
  const summary = {};
  for (const [name, run] of [['create', plainJson], ['create_stream', streamed], ['responses_ws', websocket]]) {
    try {
      summary[name] = await run();
    } catch (err) {
      console.error(`openai-node ${name} FAILED: ${err.stack || err}`);
      process.exit(1);
    }
  }
  console.log(JSON.stringify({ client: 'openai-node', version: openaiVersion(), ...summary }));
  process.exit(0);
})();
