/**
 * Entry of `pulumi-resource-tencentcloud-cert-renewal`: starts the plugin's gRPC server on a free
 * local port and prints the port as the first line of stdout, which is how the Pulumi engine
 * finds a plugin it started. Everything the provider logs after that goes to the engine (its
 * address is the first argument) or to stderr (plugin-log.ts), so stdout carries nothing but the port.
 */
import { format } from "node:util";
import { engineSink } from "./plugin-log";
import { grpc, providerService } from "./plugin-rpc";
import { pluginService } from "./plugin";

/** `engineAddress`: the Pulumi engine's, for progress lines. @default process.argv[2] */
export async function main(engineAddress: string | undefined = process.argv[2]): Promise<number> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(providerService, pluginService() as never);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  process.stdout.write(`${port}\n`);
  // Progress lines (console.log in impl.ts) must not follow the port on stdout: to the engine, else stderr.
  const sink = engineSink(engineAddress);
  console.log = (...args: unknown[]) => sink(format(...args));
  console.info = console.log;
  const stop = (): void => {
    server.tryShutdown(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return port;
}
