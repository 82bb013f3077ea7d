// A renewal in a child process that SIGKILLs itself at one progress event:
// the "crash at every phase boundary" of the crash-resume test. Plain CommonJS
// over the compiled package (npm test builds first), so it runs as users run it.
// argv: <endpoint> <stateDir> <certificateId> <killAt|never> [delayMs after the event]
const path = require("node:path");
const dist = path.resolve(__dirname, "../../../dist");
const { createEngineDeps } = require(path.join(dist, "runtime"));
const { ensureRenewed, resolveOptions } = require(path.join(dist, "engine"));

const [endpoint, stateDir, certificateId, killAt, delayArg] = process.argv.slice(2);
const delayMs = Number(delayArg || 0);
const deps = createEngineDeps({
  endpoint,
  stateDir,
  env: {},
  credentials: { secretId: process.env.CRASH_SECRET_ID, secretKey: process.env.CRASH_SECRET_KEY },
  polling: { fastMs: 20, slowMs: 100, fastWindowMs: 500, waitingEventEveryMs: 50 },
  retry: { retries: 5, baseDelayMs: 5, maxDelayMs: 40 },
  progress: (e) => {
    const tag = e.type === "phase" ? `phase:${e.phase}` : e.type === "dns-record" ? `dns-record:${e.action}` : e.type;
    if (tag === killAt) {
      const kill = () => {
        process.stdout.write(`KILLED_AT ${tag}\n`);
        process.kill(process.pid, "SIGKILL");
      };
      if (delayMs > 0) setTimeout(kill, delayMs);
      else kill();
    }
  },
});
ensureRenewed(deps, resolveOptions({ certificateId, waitTimeoutMinutes: 0.5, key: { source: "local", algorithm: "EC_P256" }, deploy: [{ resourceType: "clb", regions: ["ap-guangzhou"] }] })).then(
  (r) => {
    process.stdout.write(`RESULT ${JSON.stringify({ certificateId: r.certificateId, outcome: r.outcome, keySha: require("node:crypto").createHash("sha256").update(r.privateKeyPem).digest("hex"), certificatePem: r.certificatePem, privateKeyPem: r.privateKeyPem })}\n`);
  },
  (e) => {
    process.stdout.write(`ERROR ${e && e.message}\n`);
    process.exitCode = 1;
  },
);
