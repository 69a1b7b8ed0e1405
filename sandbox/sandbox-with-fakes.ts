import { createDestinationFakes, destinationFakesBanner, type DestinationChart } from './destination-fakes.js';
import { resumeDemo, type DemoFiles } from './demo-resume.js';
import { SANDBOX_REGION_SETTINGS, type SandboxRegion } from './sandbox-region.js';
import { sandboxBanner, startSandbox, type SandboxOptions } from './sandbox-server.js';

/** What `ledgerline sandbox` serves on one port: the sources, and the Xero and QuickBooks fakes playing `region`. */
export interface SandboxWithFakesRequest extends Omit<SandboxOptions, 'extraMounts' | 'onDayMoved' | 'currency'> {
  chart: DestinationChart;
  region?: SandboxRegion | undefined;
  /** The panel's currency when it is not the region's (a UK organisation's USD panel); the region's unless given. */
  supplierCurrency?: string | undefined;
  /** A demo's folder and its files, to serve its world again and go on from the fakes' books it left. */
  resume?: { dir: string; files: DemoFiles } | undefined;
}

/**
 * `ledgerline sandbox`: the sandbox started with the fakes beside it, from a resumed demo's world and books where
 * the request names one (what the request gives itself comes first). Returns it and the lines that tell where
 * everything is.
 */
export async function startSandboxWithFakes(request: SandboxWithFakesRequest) {
  const { chart, region, supplierCurrency, resume, ...options } = request;
  const fakes = createDestinationFakes(undefined, chart, region);
  const resumed = resume === undefined ? undefined : resumeDemo(resume.dir, resume.files, fakes);
  const sandbox = await startSandbox({
    ...options,
    seed: options.seed ?? resumed?.world.seed,
    port: options.port ?? resumed?.world.port ?? 8787,
    startDate: options.startDate ?? resumed?.world.start,
    today: options.today ?? resumed?.world.today,
    currency: supplierCurrency ?? (region === undefined ? undefined : SANDBOX_REGION_SETTINGS[region].currency),
    onDayMoved: resumed?.onDayMoved,
    extraMounts: resumed?.mounts ?? [fakes.xero, fakes.quickbooks],
  });
  return {
    sandbox,
    banner: sandboxBanner(sandbox) + destinationFakesBanner(sandbox.baseUrl, region, supplierCurrency),
  };
}
