// Issue 16: the provider plugin as an installed project meets it. Spawns the `bin`
// (node_modules/.bin/pulumi-resource-tencentcloud-cert-renewal) as Pulumi does, reads its port
// from the first stdout line, and asks GetSchema and GetPluginInfo over gRPC with the project's
// own @pulumi/pulumi. Resolves with { port, token, version }.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { clearTimeout, setTimeout } from "node:timers";

export function probePlugin(projectDir) {
  const preq = createRequire(path.join(projectDir, "node_modules/@pulumi/pulumi/package.json"));
  const grpc = preq("@grpc/grpc-js");
  const rpc = preq("./proto/provider_grpc_pb");
  const pb = preq("./proto/provider_pb");
  const empty = preq("google-protobuf/google/protobuf/empty_pb");
  const child = spawn(path.join(projectDir, "node_modules/.bin/pulumi-resource-tencentcloud-cert-renewal"), ["127.0.0.1:1"], { cwd: projectDir, stdio: ["ignore", "pipe", "pipe"] });
  const done = (f) => (...a) => { child.kill("SIGTERM"); f(...a); };
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(done(() => reject(new Error(`the plugin printed no port in 20 s: ${err}`))), 20_000);
    child.stderr.on("data", (d) => (err += d));
    child.once("exit", (code) => reject(new Error(`the plugin exited ${code}: ${err}`)));
    child.stdout.on("data", (d) => {
      out += d;
      if (!out.includes("\n")) return;
      clearTimeout(timer);
      const port = Number(out.split("\n")[0]);
      const client = new rpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      client.getSchema(new pb.GetSchemaRequest(), (e, r) => {
        if (e) return done(reject)(e);
        const token = Object.keys(JSON.parse(r.getSchema()).resources)[0];
        client.getPluginInfo(new empty.Empty(), (e2, info) => (e2 ? done(reject)(e2) : done(resolve)({ port, token, version: info.getVersion() })));
      });
    });
  });
}
