/** `tccert emulator --profile`: validated before anything starts, echoed when it starts. */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { emulatorCommand } from "../../../cli/commands/emulator";
import { createOut } from "../../../cli/output";
import { InvalidInputError } from "../../../engine/errors";

function capture() {
  const stdout = new PassThrough();
  let text = "";
  stdout.on("data", (c: Buffer) => (text += c.toString()));
  return { out: createOut(true, stdout, new PassThrough(), {}), text: () => text };
}

describe("tccert emulator --profile", () => {
  it("an unknown profile is refused, naming the flag, the value and the choices", async () => {
    const { out } = capture();
    const err = await emulatorCommand({ port: "0", host: "127.0.0.1", throttle: false, profile: "grumpy" }, out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).field).toBe("--profile");
    expect((err as Error).message).toContain('--profile must be one of default, pessimistic; got "grumpy"');
  });

  it("pessimistic starts the emulator with the pessimistic switches", async () => {
    const { out, text } = capture();
    const emu = await emulatorCommand({ port: "0", host: "127.0.0.1", throttle: false, profile: "pessimistic" }, out);
    try {
      const line = JSON.parse(text().trim()) as { url: string; profile: string };
      expect(line.profile).toBe("pessimistic");
      const rules = (await (await fetch(`${line.url}/_emulator/rules`)).json()) as { profile: string; rules: { secondRenewal: string } };
      expect(rules).toMatchObject({ profile: "pessimistic", rules: { secondRenewal: "accepted" } });
    } finally {
      await emu.close();
    }
  });
});
