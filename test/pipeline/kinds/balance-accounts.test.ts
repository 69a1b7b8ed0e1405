import { describe, expect, it } from 'vitest';
import { exampleConfigText, loadConfig, type SourceConfig } from '../../../src/config/index.js';
import { configKinds, registerSourceKind, sourceKinds } from '../../../src/pipeline/kinds/index.js';
import { counterSourceKind } from '../../support/plug-ins/counter-source.js';
import { tempFolder } from '../../config/temp-folder.js';

/** The sources of the ledgerline.yaml init writes for the sandbox: an ad network publisher and a panel. */
function exampleSources(): readonly SourceConfig[] {
  const folder = tempFolder();
  folder.write('ledgerline.yaml', exampleConfigText());
  const env = { PAYELANCER_KEY: 'sandbox-payelancer-key', PANEL_KEY: 'sandbox-panel-key' };
  return loadConfig({ kinds: configKinds(), env, cwd: folder.dir, need: { sources: 'all' } }).sources;
}

describe("the registry's balance accounts: each kind declares the account it holds a source's money in", () => {
  it("gives each configured source its kind's balance account: a panel's prepaid, a publisher's receivable", () => {
    const sources = exampleSources();
    expect(sources.map((source) => source.kind).sort()).toEqual(['panel', 'payelancer']);
    expect(Object.fromEntries(sourceKinds.balanceAccounts(sources))).toEqual(
      Object.fromEntries(
        sources.map((source) => [source.id, source.kind === 'panel' ? 'panel_prepaid' : 'payelancer_receivable']),
      ),
    );
  });

  it('gives none to a source whose kind declares no balance account (a plug-in counter)', () => {
    const unregister = registerSourceKind(counterSourceKind);
    try {
      const counter = { id: 'tips', kind: counterSourceKind.kind } as unknown as SourceConfig;
      expect(sourceKinds.balanceAccounts([counter]).size).toBe(0);
    } finally {
      unregister();
    }
  });
});
