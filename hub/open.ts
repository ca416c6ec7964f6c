// Opens a hub from its configuration: the key file, the region it must match, and the store named by --store.
import { openPostgresHubStore } from './store/postgres.ts';
import { openSqliteHubStore } from './store/sqlite.ts';
import type { HubStore } from './store/store.ts';
import { HubKeyError } from './keys.ts';
import type { HubKeys } from './keys.ts';
import type { Hub } from './service.ts';

export const openHubStore = async (spec: string, keys: HubKeys): Promise<HubStore> => {
  if (spec.startsWith('sqlite:')) return openSqliteHubStore(spec.slice('sqlite:'.length), keys.storeKey, keys.region);
  if (spec.startsWith('postgres://') || spec.startsWith('postgresql://'))
    return openPostgresHubStore(spec, keys.region);
  throw new HubKeyError(`--store ${JSON.stringify(spec)}: give sqlite:FILE or a postgres:// connection string`);
};

export const openHub = async (input: {
  readonly region: string;
  readonly store: string;
  readonly keys: HubKeys;
  readonly now?: () => Date;
}): Promise<Hub> => {
  if (input.keys.region !== input.region)
    throw new HubKeyError(`the key file is region ${input.keys.region}'s, not ${input.region}'s`);
  return {
    region: input.region,
    store: await openHubStore(input.store, input.keys),
    keys: input.keys,
    now: input.now ?? (() => new Date()),
  };
};
