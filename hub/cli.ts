// `perimeter hub`: runs a regional hub, makes its key file, and lets an operations admin approve or revoke devices.
// bin/perimeter.mjs hands `perimeter hub …` here; exit codes are the CLI's: 0 done, 1 refused, 2 unusable input.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import * as z from 'zod';
import { isValidRegion } from '../core/sync/hub-identity.ts';
import { HubKeyError, newHubKeys, readHubKeys, writeHubKeys } from './keys.ts';
import { openHub } from './open.ts';
import { startHubServer } from './server.ts';
import { exportRegion } from './export.ts';
import { decideDevice, hubIdentity } from './service.ts';
import { HubStoreError } from './store/store.ts';
import { addPublisher, supersededDecisions } from './distribution.ts';
import { publishListVersion, publishPolicyBundle } from './publish.ts';
import { readPublisherKey, writeNewPublisherKey } from './publisher-key.ts';
import { publisherKeyName } from '../core/sync/distribution.ts';
import { basename } from 'node:path';

class HubCliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

const option = <T>(schema: z.ZodType<T>, value: unknown, name: string): T => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HubCliError(`option --${name}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
};
const Region = z.string().refine(isValidRegion, { message: '1 to 32 letters, digits or "-"' });
const Listen = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$/, { message: 'HOST:PORT, for example 127.0.0.1:8443' });

const hostAndPort = (listen: string): { host: string; port: number } => {
  const at = listen.lastIndexOf(':');
  return { host: listen.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(listen.slice(at + 1)) };
};

const withHub = async <T>(
  options: { store: string; key: string; region?: string },
  run: (hub: Awaited<ReturnType<typeof openHub>>) => Promise<T>,
): Promise<T> => {
  const keys = readHubKeys(options.key);
  const hub = await openHub({ region: options.region ?? keys.region, store: options.store, keys });
  try {
    return await run(hub);
  } finally {
    await hub.store.close();
  }
};

const program = new Command('perimeter hub')
  .description('the regional sync hub: a C2SP tlog-witness and tlog-mirror for the devices of one region')
  .exitOverride()
  .enablePositionalOptions()
  .option('--region <region>', 'the region this hub serves (must match its key file)')
  .option('--store <store>', 'sqlite:FILE (encrypted) or a postgres:// connection string')
  .option('--key <file>', 'the hub key file (perimeter hub init-key)')
  .option('--listen <host:port>', 'where to listen', '127.0.0.1:8443')
  .option('--tls-cert <file>', 'TLS certificate chain (PEM): required outside loopback')
  .option('--tls-key <file>', 'TLS private key (PEM)')
  .action(
    async (raw: {
      region?: string;
      store?: string;
      key?: string;
      listen: string;
      tlsCert?: string;
      tlsKey?: string;
    }) => {
      const region = option(Region, raw.region, 'region');
      const store = option(z.string().min(1, { message: 'is required' }), raw.store ?? '', 'store');
      const keyFile = option(z.string().min(1, { message: 'is required' }), raw.key ?? '', 'key');
      const { host, port } = hostAndPort(option(Listen, raw.listen, 'listen'));
      if (Boolean(raw.tlsCert) !== Boolean(raw.tlsKey))
        throw new HubCliError('give both --tls-cert and --tls-key, or neither');
      const tls =
        raw.tlsCert && raw.tlsKey ? { cert: readFileSync(raw.tlsCert), key: readFileSync(raw.tlsKey) } : undefined;
      const keys = readHubKeys(keyFile);
      const hub = await openHub({ region, store, keys });
      let running;
      try {
        running = await startHubServer(hub, { host, port, ...(tls ? { tls } : {}) });
      } catch (error) {
        await hub.store.close();
        throw new HubCliError(error instanceof Error ? error.message : String(error));
      }
      process.stdout.write(`perimeter hub: region ${region}, ${hub.store.kind} store, listening on ${running.url}\n`);
      process.stdout.write(`${JSON.stringify(hubIdentity(hub))}\n`);
      const stop = (): void => {
        void running
          .close()
          .then(() => hub.store.close())
          .then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
  );

program
  .command('init-key')
  .description('make a new hub key file (mode 0600; never overwrites one)')
  .requiredOption('--region <region>', 'the region the hub serves')
  .requiredOption('--out <file>', 'where to write the key file')
  .action((raw: { region: string; out: string }) => {
    const region = option(Region, raw.region, 'region');
    try {
      writeHubKeys(raw.out, newHubKeys(region));
    } catch (error) {
      throw new HubCliError(`${raw.out}: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.stdout.write(
      `wrote ${raw.out}: the key file of the hub of region ${region}; keep it secret and backed up\n`,
    );
  });

for (const [name, decision] of [
  ['approve-device', 'approved'],
  ['revoke-device', 'revoked'],
] as const)
  program
    .command(name)
    .description(decision === 'approved' ? 'approve a device that asked to enrol' : 'revoke a device for good')
    .requiredOption('--store <store>', 'the hub store')
    .requiredOption('--key <file>', 'the hub key file')
    .requiredOption('--device <id>', 'the device id')
    .requiredOption('--admin <name>', 'the operations admin deciding')
    .option(
      '--markets <list>',
      'on approval: the markets the device is served, comma-separated ("*" for every market); default: those it asked for',
    )
    .option(
      '--operations',
      "on approval: the device may list, approve and revoke the region's devices by its signed requests (decision 0273)",
    )
    .action(
      async (raw: {
        store: string;
        key: string;
        device: string;
        admin: string;
        markets?: string;
        operations?: boolean;
      }) => {
        await withHub(raw, async (hub) => {
          const markets =
            raw.markets === undefined
              ? undefined
              : raw.markets
                  .split(',')
                  .map((market) => market.trim())
                  .filter((market) => market !== '');
          const result = await decideDevice(hub, {
            deviceId: raw.device,
            decision,
            admin: raw.admin,
            ...(markets ? { markets } : {}),
            ...(raw.operations && decision === 'approved' ? { operations: true } : {}),
          });
          if (!result.ok) throw new HubCliError(result.error, 1);
          process.stdout.write(
            `device ${result.device.deviceId}: ${result.device.status} by ${raw.admin}${
              decision === 'approved' ? `, served the markets ${result.device.markets.join(', ') || '(none)'}` : ''
            }${result.device.operations ? ', with the operations capability' : ''}\n`,
          );
        });
      },
    );

program
  .command('devices')
  .description('list the devices and their standing')
  .requiredOption('--store <store>', 'the hub store')
  .requiredOption('--key <file>', 'the hub key file')
  .action(async (raw: { store: string; key: string }) => {
    await withHub(raw, async (hub) => {
      const devices = await hub.store.transaction((tx) => tx.devices());
      for (const d of devices)
        process.stdout.write(
          `${d.deviceId}\t${d.status}\t${d.origin}\t${Buffer.from(d.publicKey).toString('hex').slice(0, 16)}\tasked ${
            d.requestedMarkets.join(',') || '-'
          }\tserved ${d.markets.join(',') || '-'}\n`,
        );
    });
  });

program
  .command('export')
  .description('one zip of the region for an auditor: every mirrored device log and the hub log (docs/sync.md)')
  .requiredOption('--store <store>', 'the hub store')
  .requiredOption('--key <file>', 'the hub key file')
  .requiredOption('--out <file>', 'the zip to write (never overwritten)')
  .action(async (raw: { store: string; key: string; out: string }) => {
    if (existsSync(raw.out)) throw new HubCliError(`${raw.out} exists already: it is never overwritten`);
    await withHub(raw, async (hub) => {
      const exported = await exportRegion(hub);
      // Written beside, then renamed: an interrupted export leaves no half-written zip under the name.
      const partial = `${raw.out}.partial`;
      writeFileSync(partial, exported.bytes, { flag: 'wx' });
      renameSync(partial, raw.out);
      process.stdout.write(
        `wrote ${raw.out}: region ${hub.region}, ${exported.devices} device logs, hub log of ${exported.hubLogSize} entries\n`,
      );
    });
  });

// ---- distribution (decisions 0253–0256) -------------------------------------------------------------------------------

program
  .command('init-publisher-key')
  .description("make the firm's publisher key file (signs distributed policy and lists; keep it off the hub)")
  .requiredOption('--region <region>', 'the region whose statements it signs (names the key)')
  .requiredOption('--out <file>', 'where to write the key file (mode 0600; never overwritten)')
  .option('--name <name>', 'the key name (default perimeter-publisher/<region>)')
  .action((raw: { region: string; out: string; name?: string }) => {
    const region = option(Region, raw.region, 'region');
    let verifierKey: string;
    try {
      verifierKey = writeNewPublisherKey(raw.out, raw.name ?? publisherKeyName(region));
    } catch (error) {
      throw new HubCliError(`${raw.out}: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.stdout.write(`wrote ${raw.out}; the publisher verifier key (pin it on devices, add it at the hub):\n`);
    process.stdout.write(`${verifierKey}\n`);
  });

program
  .command('add-publisher')
  .description('accept statements signed by this publisher verifier key at the hub')
  .requiredOption('--store <store>', 'the hub store')
  .requiredOption('--key <file>', 'the hub key file')
  .requiredOption('--verifier-key <vkey>', 'the publisher verifier key (name+id+key)')
  .requiredOption('--admin <name>', 'the operations admin adding it')
  .action(async (raw: { store: string; key: string; verifierKey: string; admin: string }) => {
    await withHub(raw, async (hub) => {
      const result = await addPublisher(hub, { verifierKey: raw.verifierKey, admin: raw.admin });
      if (!result.ok) throw new HubCliError(result.error, 2);
      process.stdout.write(
        `publisher ${result.value.verifierKey}: ${result.value.added ? 'added' : 'known already'}\n`,
      );
    });
  });

const published = (record: { stream: string; sequence: number; version: string; label: string }): void => {
  process.stdout.write(`published ${record.stream} sequence ${record.sequence}: ${record.label} (${record.version})\n`);
};

const readText = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new HubCliError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
};

program
  .command('publish-policy')
  .description('sign a policy bundle with the publisher key and publish it to the region')
  .requiredOption('--store <store>', 'the hub store')
  .requiredOption('--key <file>', 'the hub key file')
  .requiredOption('--publisher-key <file>', 'the publisher key file (perimeter hub init-publisher-key)')
  .requiredOption('--file <bundle>', 'the policy bundle (YAML or JSON)')
  .requiredOption('--admin <name>', 'the operations admin publishing')
  .action(async (raw: { store: string; key: string; publisherKey: string; file: string; admin: string }) => {
    const signer = readPublisherKey(raw.publisherKey);
    const text = readText(raw.file);
    await withHub(raw, async (hub) => {
      const result = await publishPolicyBundle(hub, signer, { fileName: basename(raw.file), text, admin: raw.admin });
      if (!result.ok) throw new HubCliError(result.error, result.status === 400 ? 2 : 1);
      published(result.value);
    });
  });

program
  .command('publish-list')
  .description('sign a list version (its source files) with the publisher key and publish it to the region')
  .requiredOption('--store <store>', 'the hub store')
  .requiredOption('--key <file>', 'the hub key file')
  .requiredOption('--publisher-key <file>', 'the publisher key file')
  .requiredOption('--source <source>', 'the list source format, as `perimeter lists import --source`')
  .requiredOption('--list-id <id>', 'the list id')
  .option('--kind <kind>', 'the list kind, where the source does not say')
  .requiredOption('--admin <name>', 'the operations admin publishing')
  .argument('<files...>', 'the source files')
  .action(
    async (
      files: string[],
      raw: {
        store: string;
        key: string;
        publisherKey: string;
        source: string;
        listId: string;
        kind?: string;
        admin: string;
      },
    ) => {
      const signer = readPublisherKey(raw.publisherKey);
      const read = files.map((path) => {
        try {
          return { name: basename(path), bytes: new Uint8Array(readFileSync(path)) };
        } catch (error) {
          throw new HubCliError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
        }
      });
      await withHub(raw, async (hub) => {
        const result = await publishListVersion(hub, signer, {
          source: raw.source,
          listId: raw.listId,
          ...(raw.kind === undefined ? {} : { kind: raw.kind }),
          files: read,
          admin: raw.admin,
        });
        if (!result.ok) throw new HubCliError(result.error, result.status === 400 ? 2 : 1);
        published(result.value);
      });
    },
  );

program
  .command('distributions')
  .description('list the published statements of every stream')
  .requiredOption('--store <store>', 'the hub store')
  .requiredOption('--key <file>', 'the hub key file')
  .action(async (raw: { store: string; key: string }) => {
    await withHub(raw, async (hub) => {
      for (const d of await hub.store.transaction((tx) => tx.distributions(null)))
        process.stdout.write(
          `${d.stream}\t${d.sequence}\t${d.label}\t${d.version}\t${d.publishedAt}\t${d.receivedBy}\n`,
        );
    });
  });

program
  .command('superseded')
  .description('list mirrored decisions taken under a policy older than the region had then (JSON lines)')
  .requiredOption('--store <store>', 'the hub store')
  .requiredOption('--key <file>', 'the hub key file')
  .action(async (raw: { store: string; key: string }) => {
    await withHub(raw, async (hub) => {
      for (const d of await supersededDecisions(hub)) process.stdout.write(`${JSON.stringify(d)}\n`);
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else if (error instanceof HubCliError || error instanceof HubKeyError || error instanceof HubStoreError) {
    process.stderr.write(`perimeter hub: ${error.message}\n`);
    process.exitCode = error instanceof HubCliError ? error.exitCode : 2;
  } else {
    process.stderr.write(
      `perimeter hub: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  }
}
