// A pass-through HTTP relay for tests: logs each request's method, path and headers as a JSON line, then forwards the
// request to 127.0.0.1:TARGET_PORT and streams the answer back (SSE included). Written for this project's tests.
//   node header-relay.mjs TARGET_PORT PORT_FILE LOG_FILE
import fs from "node:fs";
import http from "node:http";

const [targetPort, portFile, logFile] = process.argv.slice(2);
const server = http.createServer((req, res) => {
  fs.appendFileSync(logFile, JSON.stringify({ method: req.method, path: req.url, headers: req.headers }) + "\n");
  const upstream = http.request(
    { host: "127.0.0.1", port: Number(targetPort), path: req.url, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => res.destroy());
  req.pipe(upstream);
});
server.listen(0, "127.0.0.1", () => fs.writeFileSync(portFile, String(server.address().port)));
