/**
 * The providers the construct needs, once per stack. When the construct creates them, it asks for
 * compatible ranges (`~> 2.3`, `~> 4.0`) instead of the exact versions the prebuilt bindings
 * write (external 2.3.5, tls 4.1.0), so another constraint in the same root module can meet them.
 * A provider the user created is used as it is (their bindings, their pin).
 */
import { ExternalProvider } from "@cdktf/provider-external/lib/provider";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import { TerraformProvider, TerraformStack } from "cdktf";
import type { Construct } from "constructs";

/** The version constraints the construct asks for (the HCL module's versions.tf says the same). */
export const PROVIDER_CONSTRAINTS = { external: "~> 2.3", tls: "~> 4.0" } as const;

export function externalProvider(scope: Construct): TerraformProvider {
  return ensureProvider(scope, "external", (s, id) => loosen(new ExternalProvider(s, id), PROVIDER_CONSTRAINTS.external));
}

export function tlsProvider(scope: Construct): TerraformProvider {
  return ensureProvider(scope, "tls", (s, id) => loosen(new TlsProvider(s, id), PROVIDER_CONSTRAINTS.tls));
}

/** Replace the binding's exact `providerVersion` with a range (cdktf writes providerVersion ?? providerVersionConstraint). */
function loosen<P extends TerraformProvider>(provider: P, constraint: string): P {
  const meta = provider.terraformGeneratorMetadata;
  if (meta) Object.defineProperty(provider, "terraformGeneratorMetadata", { value: { providerName: meta.providerName, providerVersionConstraint: constraint }, enumerable: true });
  return provider;
}

/** The stack's provider of this type, created once per stack when the user has none. */
function ensureProvider(scope: Construct, type: string, make: (stack: TerraformStack, id: string) => TerraformProvider): TerraformProvider {
  const stack = TerraformStack.of(scope);
  const existing = stack.node
    .findAll()
    .filter((c): c is TerraformProvider => TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === type);
  const unaliased = existing.find((p) => p.alias === undefined);
  return unaliased ?? existing[0] ?? make(stack, `tccert_${type}_provider`);
}
