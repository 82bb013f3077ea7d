/**
 * Loads what @peculiar/x509 needs before it is first required: the Reflect
 * metadata polyfill (its DI container, tsyringe, throws at load time without
 * one) and Node's WebCrypto as its crypto provider.
 *
 * Every crypto/ca*.ts file imports this module before @peculiar/x509.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export type WebCryptoKey = webcrypto.CryptoKey;

let done = false;

export function ensureCryptoProvider(): void {
  if (done) return;
  // @peculiar/x509 types its provider as the DOM `Crypto`; Node's webcrypto implements it.
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  done = true;
}
