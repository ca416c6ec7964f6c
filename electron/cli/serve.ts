// `perimeter serve`: the browser host — the workstation's services and renderer on 127.0.0.1 with a per-launch token.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import * as z from 'zod';
import { startBrowserHost } from '../services/host/browser-host.ts';
import { loadLeadScreener } from '../services/workstation/commands/screener.ts';
import { listStoreReader } from '../services/lists/reader.ts';
import type { LeadScreener } from '../services/workstation/session/workstation.ts';
import { CliError, EXIT_UNUSABLE } from './exit.ts';
import { cliWorkstationDeps } from './deps.ts';

const ServeOptions = z.object({
  db: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535).default(0),
  lists: z.string().min(1).optional(),
  renderer: z.string().min(1).optional(),
});

export const defaultRendererDir = (): string => join(import.meta.dirname, '..', '..', 'out', 'renderer');

export const registerServeCommand = (program: Command): void => {
  program
    .command('serve')
    .description('serve the workstation on 127.0.0.1 for a browser (prints the URL with its launch token)')
    .requiredOption('--db <file>', 'the workstation database (perimeter workstation init)')
    .option('--port <port>', 'port on 127.0.0.1 (default: a free one)')
    .option('--lists <dir>', 'screen new leads against the active lists in this directory')
    .option('--renderer <dir>', 'the built renderer (default: out/renderer)')
    .action(async (raw: unknown) => {
      const parsed = ServeOptions.safeParse(raw);
      if (!parsed.success)
        throw new CliError(
          `option --${String(parsed.error.issues[0]?.path[0])}: ${parsed.error.issues[0]?.message}`,
          EXIT_UNUSABLE,
        );
      const options = parsed.data;
      if (!existsSync(options.db))
        throw new CliError(
          `${options.db}: no such workstation (create one with perimeter workstation init)`,
          EXIT_UNUSABLE,
        );
      const rendererDir = options.renderer ?? defaultRendererDir();
      const staticDir = existsSync(join(rendererDir, 'index.html')) ? rendererDir : null;
      let screener: LeadScreener | null = null;
      if (options.lists) screener = await loadLeadScreener(options.lists);
      const host = await startBrowserHost({
        dbPath: options.db,
        staticDir,
        port: options.port,
        // The same list directory is read by version for the screening hit side by side (decision 0181).
        deps: { ...cliWorkstationDeps(), ...(options.lists ? { listStore: listStoreReader(options.lists) } : {}) },
        screener,
      });
      process.stdout.write(`Perimeter browser host: ${host.url}\n`);
      if (staticDir === null) process.stdout.write(`(no built renderer in ${rendererDir}: serving the api only)\n`);
      const stop = (): void => {
        void host.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
};
